/** Stands in for the browser's EventSource (jsdom has none): the test pushes the events. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  isClosed = false;
  private readonly listeners = new Map<string, Set<(event: Event) => void>>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  close(): void {
    this.isClosed = true;
  }

  emit(type: string, data?: unknown): void {
    const event = type === "error" ? new Event("error") : new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances.at(-1);
    if (!source) throw new Error("No EventSource was opened");
    return source;
  }
}
