/** @docr/sdk for browsers and any runtime with fetch and WebCrypto. Node adds paths and streams (node.ts). */
export { DocrClient, isFinal, DEFAULT_INTERVAL_MS, DEFAULT_TIMEOUT_MS } from './client.js';
export * from './errors.js';
export { verifyWebhook, type WebhookRequest, type VerifyOptions } from './webhook.js';
export type { ClientOptions, CreateTaskOptions, FileInput, OutputFormat, Task, WaitOptions, Envelope } from './types.js';
