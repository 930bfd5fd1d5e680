/**
 * Server-sent events read from a fetch Response (EventSource cannot send the X-API-KEY
 * header). Yields each event's name and data; ends when the server closes the stream.
 */
export interface ServerEvent { event: string; data: string }

export async function* readEvents(res: Response): AsyncGenerator<ServerEvent> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = blockEnd(buffer); end; end = blockEnd(buffer)) {
        const event = parseBlock(buffer.slice(0, end.at));
        buffer = buffer.slice(end.at + end.length);
        if (event) yield event;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function blockEnd(buffer: string): { at: number; length: number } | undefined {
  const m = /\r?\n\r?\n/.exec(buffer);
  return m ? { at: m.index, length: m[0].length } : undefined;
}

function parseBlock(block: string): ServerEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : undefined;
}
