// A set of subscribers to one kind of value. Every cluster handle offers onState/onEvent/onMetrics;
// this is the one implementation of "subscribe, get an unsubscribe function, notify everyone".

export type Listener<T> = (value: T) => void;

export class Listeners<T> {
  private readonly set = new Set<Listener<T>>();

  get size(): number {
    return this.set.size;
  }

  /** Adds a listener; the function returned removes it. */
  add(listener: Listener<T>): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  delete(listener: Listener<T>): void {
    this.set.delete(listener);
  }

  /** Calls every listener; one added or removed meanwhile does not disturb this round. */
  emit(value: T): void {
    for (const l of [...this.set]) l(value);
  }
}
