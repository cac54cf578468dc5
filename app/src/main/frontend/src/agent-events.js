// The server's push channel for agent state and call progress. It must survive app restarts and network blips
// without the agent noticing, so it reconnects with exponential backoff and jitter (many agents reconnecting
// at once after a restart must not arrive in lockstep).

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
// A handshake refused this many times in a row may be an expired token rather than a server away: ask the owner
// to check (a WebSocket close event does not expose the HTTP status of a refused handshake).
const REFUSALS_BEFORE_CHECK = 2;
// The close code of a socket whose login ended on the server (WebSocketGuard.SIGNED_OUT).
const SIGNED_OUT = 4401;

export class AgentEvents {
  constructor({ url, onMessage, onConnectionChange, onRefused }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onConnectionChange = onConnectionChange;
    this.onRefused = onRefused;
    this.socket = null;
    this.attempt = 0;
    this.refusals = 0;
    this.timer = null;
    this.stopped = false;
    this.connected = false;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000, 'signed out');
      this.socket = null;
    }
    this.setConnected(false);
  }

  /** The URL may have to be fetched (a single-use ticket): asked afresh for every connection. */
  open() {
    Promise.resolve()
      .then(() => this.url())
      .then((url) => {
        if (!this.stopped) this.connect(url);
      }, (error) => {
        if (this.stopped) return;
        // No ticket: a 401 means the login is gone; anything else is the server away, tried again later.
        if (error?.status === 401) this.onRefused?.();
        this.retryLater();
      });
  }

  connect(url) {
    let opened = false;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.refusals = 0;
      this.setConnected(true);
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        console.warn('agent events: not JSON', event.data);
        return;
      }
      this.onMessage(message);
    };
    socket.onclose = (event) => {
      this.socket = null;
      this.setConnected(false);
      if (this.stopped) return;
      // 4401: the server closed the socket because the login ended (expired, signed out, user disabled).
      if (event?.code === SIGNED_OUT || (!opened && ++this.refusals >= REFUSALS_BEFORE_CHECK)) this.onRefused?.();
      this.retryLater();
    };
  }

  retryLater() {
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt++);
    this.timer = setTimeout(() => this.open(), delay / 2 + Math.random() * delay / 2);
  }

  setConnected(connected) {
    if (this.connected !== connected) {
      this.connected = connected;
      this.onConnectionChange(connected);
    }
  }
}
