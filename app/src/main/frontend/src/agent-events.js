// The server's push channel for agent state and call progress. It must survive app restarts and network blips
// without the agent noticing, so it reconnects with exponential backoff and jitter (many agents reconnecting
// at once after a restart must not arrive in lockstep).

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
// A handshake refused this many times in a row may be an expired token rather than a server away: ask the owner
// to check (a WebSocket close event does not expose the HTTP status of a refused handshake).
const REFUSALS_BEFORE_CHECK = 2;

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

  open() {
    let opened = false;
    const socket = new WebSocket(this.url());
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
    socket.onclose = () => {
      this.socket = null;
      this.setConnected(false);
      if (this.stopped) return;
      if (!opened && ++this.refusals >= REFUSALS_BEFORE_CHECK) this.onRefused?.();
      const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.open(), delay / 2 + Math.random() * delay / 2);
    };
  }

  setConnected(connected) {
    if (this.connected !== connected) {
      this.connected = connected;
      this.onConnectionChange(connected);
    }
  }
}
