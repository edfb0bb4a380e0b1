/**
 * Runs `work` again at once while it finds something to do (it answers how much it did), and after `idleMs` when it
 * did nothing or failed. `stop` lets the pass in progress finish.
 */
export function startPollLoop(
  work: () => Promise<number>,
  idleMs: number,
  onError: (error: unknown) => void,
): { stop: () => Promise<void> } {
  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, idleMs);
      timer.unref();
    });
  const loop = async () => {
    while (!isStopped) {
      let done = 0;
      try {
        done = await work();
      } catch (error) {
        onError(error);
      }
      if (done === 0 && !isStopped) await sleep();
    }
  };
  const running = loop();
  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
