// Ringing sound for incoming calls, synthesised (North American ring: 440 + 480 Hz, 2 s on, 4 s off) so the page
// needs no audio files. Browsers only let an AudioContext play after a user gesture: unlock() on sign-in.

const CADENCE_S = 6;
const RING_S = 2;

export class Ringer {
  constructor() {
    this.context = null;
    this.nodes = [];
    this.timer = null;
  }

  unlock() {
    try {
      this.context ??= new AudioContext();
      this.context.resume().catch(() => {});
    } catch {
      // No WebAudio: ringing stays visual only.
    }
  }

  start() {
    this.unlock();
    if (!this.context || this.timer) return;
    const ring = () => this.ringOnce();
    ring();
    this.timer = setInterval(ring, CADENCE_S * 1000);
  }

  ringOnce() {
    const ctx = this.context;
    const gain = ctx.createGain();
    gain.gain.value = 0.08;
    gain.connect(ctx.destination);
    const now = ctx.currentTime;
    for (const hz of [440, 480]) {
      const oscillator = ctx.createOscillator();
      oscillator.frequency.value = hz;
      oscillator.connect(gain);
      oscillator.start(now);
      oscillator.stop(now + RING_S);
      this.nodes.push(oscillator);
      oscillator.onended = () => { this.nodes = this.nodes.filter((n) => n !== oscillator); };
    }
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    for (const node of this.nodes) {
      try { node.stop(); } catch { /* already stopped */ }
    }
    this.nodes = [];
  }
}
