/** The page's errors in plain words: each typed error of the SDK gets a headline a person understands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthenticationError, ConnectionError, InsufficientCreditsError, PayloadTooLargeError, RateLimitError, TaskFailedError,
} from '../../sdk/src/index.js';
import { plainError } from '../../web/src/messages.js';

const failed = (state: number, message: string) => new TaskFailedError(message, { status: 200, state });

test('wrong key, out of credits, file too big, busy, unreachable', () => {
  assert.equal(plainError(new AuthenticationError('unknown API key', { status: 401 })).title, 'Wrong API key');
  assert.equal(plainError(new InsufficientCreditsError('insufficient credits', { status: 402 })).title, 'Out of credits');
  const big = plainError(new PayloadTooLargeError('the upload is larger than 200 MB (209715200 bytes), the limit for one file', { status: 413 }));
  assert.equal(big.title, 'File too big');
  assert.match(big.detail, /200 MB/);
  assert.equal(plainError(new RateLimitError('too many requests', 1, { status: 429 })).title, 'Too many requests at once');
  assert.equal(plainError(new ConnectionError('fetch failed')).title, 'docr cannot be reached');
});

test('a file docr cannot read: wrong password, missing password, unsupported or damaged', () => {
  assert.equal(plainError(failed(-7, 'The password given for the PDF is wrong (passwords are case- and space-sensitive).')).title, 'Wrong password');
  assert.equal(plainError(failed(-7, 'The PDF needs a password: pass it in `password`.')).title, 'This file needs a password');
  const unsupported = plainError(failed(-7, 'The file is not a supported document or image (found: zip).'));
  assert.equal(unsupported.title, 'docr cannot read this file');
  assert.match(unsupported.detail, /PDF, Word, Excel, PowerPoint/);
  assert.equal(plainError(failed(-11, 'nothing was recognised on any page')).title, 'No text was found');
});
