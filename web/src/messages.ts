/** Errors in words a person understands: what happened and what to do. */
import {
  AuthenticationError, BadRequestError, ConnectionError, InsufficientCreditsError, PayloadTooLargeError, RateLimitError,
  ResultExpiredError, TaskFailedError, WaitTimeoutError,
} from '../../sdk/src/index.js';

export interface PlainError { title: string; detail: string }

const STATE_TITLES: Record<number, string> = {
  [-3]: 'docr could not download that address',
  [-5]: 'The document at that address is too big',
  [-8]: 'Reading took too long',
  [-9]: 'A page could not be read',
  [-11]: 'No text was found',
  [-13]: 'The task was cancelled',
  [-14]: 'The document is too large to read',
  [-15]: 'The server is short of resources',
};

function invalidFile(message: string): PlainError {
  if (/password/i.test(message) && /wrong|incorrect|does not open/i.test(message)) {
    return { title: 'Wrong password', detail: `That password does not open this file. Check it and try again. (${message})` };
  }
  if (/password/i.test(message)) return { title: 'This file needs a password', detail: `Type it in the Password field and try again. (${message})` };
  return {
    title: 'docr cannot read this file',
    detail: `It is damaged or not a kind docr reads (PDF, Word, Excel, PowerPoint, JPEG, PNG, GIF, BMP, TIFF, WebP). (${message})`,
  };
}

export function plainError(e: unknown): PlainError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof AuthenticationError) return { title: 'Wrong API key', detail: 'docr does not know this key, or it was disabled. Check the key (docr keys list on the server) and try again.' };
  if (e instanceof InsufficientCreditsError) return { title: 'Out of credits', detail: 'This key has no credit left. Add some on the server: docr keys credits <key> --add 100.' };
  if (e instanceof PayloadTooLargeError) return { title: 'File too big', detail: `${message}. Split the document or ask the operator to raise the limit.` };
  if (e instanceof RateLimitError) return { title: 'Too many requests at once', detail: 'Wait a few seconds and try again.' };
  if (e instanceof BadRequestError) return { title: 'Something in the form is not right', detail: message };
  if (e instanceof TaskFailedError) return e.state === -7 ? invalidFile(message) : { title: STATE_TITLES[e.state ?? 0] ?? 'Reading failed', detail: message };
  if (e instanceof WaitTimeoutError) return { title: 'Still working', detail: message };
  if (e instanceof ResultExpiredError) return { title: 'The result has expired', detail: 'Results are kept for a limited time. Run the document again.' };
  if (e instanceof ConnectionError) return { title: 'docr cannot be reached', detail: 'Check your connection, or whether the server is running.' };
  return { title: 'Something went wrong', detail: message };
}
