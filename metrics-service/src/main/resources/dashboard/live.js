// The live connection: one EventSource on /telemetry/stream. The browser resumes a dropped stream
// by itself; when it gives up (the server refused the stream: 503 at the client limit, 404, a
// restart in progress) we open a new one after a growing pause (1 s, 2 s, 4 s … 30 s).
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

export class LiveStream {
  /**
   * @param {() => string} url the stream's address, read on every (re)connect
   * @param {(snapshot: object) => void} onSnapshot each `snapshot` event's parsed data
   * @param {(state: string, detail?: string) => void} onState 'connecting' | 'open' | 'reconnecting'
   * @param {() => void} onRefused the server closed or refused the stream (before the pause to retry)
   */
  constructor(url, onSnapshot, onState, onRefused = () => {}) {
    this.url = url;
    this.onRefused = onRefused;
    this.onSnapshot = onSnapshot;
    this.onState = onState;
    this.source = null;
    this.timer = null;
    this.delay = MIN_DELAY_MS;
  }

  start() {
    this.stop();
    this.onState('connecting');
    const source = new EventSource(this.url());
    this.source = source;
    source.addEventListener('open', () => {
      if (this.source !== source) return;
      this.delay = MIN_DELAY_MS;
      this.onState('open');
    });
    source.addEventListener('snapshot', (event) => {
      if (this.source !== source) return;
      let snapshot;
      try {
        snapshot = JSON.parse(event.data);
      } catch (error) {
        this.onState('open', `an event could not be read (${error.message})`);
        return;
      }
      this.onSnapshot(snapshot);
    });
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        const delay = this.delay;
        this.delay = Math.min(MAX_DELAY_MS, this.delay * 2);
        this.onState('reconnecting', `stream refused or closed; retrying in ${Math.round(delay / 1000)} s`);
        this.timer = setTimeout(() => this.start(), delay);
        this.onRefused();
      } else {
        this.onState('reconnecting', 'connection lost; the browser is resuming it');
      }
    });
  }

  /** Reconnects at once, e.g. with another filter. */
  restart() {
    this.delay = MIN_DELAY_MS;
    this.start();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }
}
