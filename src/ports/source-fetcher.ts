/**
 * Fetching a task's `image_url` into a local file. The implementation goes through the
 * outbound guard (SPEC §5): http/https only, ports 80/443, public addresses only (checked
 * again after each redirect, connection pinned to the checked address), bounded redirects,
 * connect and total timeouts, a size cap enforced while streaming.
 */
export interface FetchOptions {
  /** Cap on the body; more → DocrError DOWNLOAD_TOO_LARGE (the partial file is removed). */
  maxBytes: number;
  signal?: AbortSignal;
}

export interface SourceFetcher {
  /**
   * Downloads `url` to `toPath`; resolves with the byte size. Throws DocrError
   * DOWNLOAD_FAILED (message says why: DNS, refused, HTTP status, timeout, forbidden address,
   * too many redirects) or DOWNLOAD_TOO_LARGE; when `signal` aborts, rejects with its reason.
   */
  fetch(url: string, toPath: string, options: FetchOptions): Promise<number>;
}
