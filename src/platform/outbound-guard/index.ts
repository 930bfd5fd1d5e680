/** The one outbound URL guard (SPEC §5) for image_url downloads and callbacks. */
export { createOutboundGuard, discard } from './guarded-request.js';
export type { OutboundGuard, OutboundPolicy, GuardedRequestOptions, GuardedResponse, Resolver } from './guarded-request.js';
export { createGuardedFetcher } from './download.js';
export type { DownloadPolicy } from './download.js';
export { OutboundError } from './outbound-error.js';
export type { OutboundFailure } from './outbound-error.js';
export { forbiddenRange, parseAllowList } from './address-policy.js';
