/** The SIGTERM/SIGINT path of long-running commands: stop once gracefully; a second signal exits at once. */
export function onStopSignals(graceSeconds: number, stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: string) => {
      if (stopping) { console.error('docr: second signal, exiting now'); process.exit(130); }
      stopping = true;
      console.error(`docr: ${signal} received, finishing running tasks (up to ${graceSeconds} s)`);
      stop().then(() => { console.error('docr: stopped'); resolve(0); }, (e: unknown) => { console.error('docr: shutdown failed', e); resolve(1); });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}
