// The SIP side of the softphone: one JsSIP user agent registered to Asterisk over WebSocket, at most one call.
import JsSIP from 'jssip';
import { AUTO_ANSWER_HEADER } from './contract.js';

// Asterisk's WebRTC endpoints (webrtc=yes) do ICE, DTLS-SRTP, AVPF and rtcp-mux. All parties are reachable
// directly (the browser and Asterisk see each other's host candidates), so no STUN/TURN unless the server says so.
const MEDIA = { audio: true, video: false };
const OFFER = { offerToReceiveAudio: true, offerToReceiveVideo: false };

export class Phone {
  /**
   * @param credentials the server's answer to POST /api/me/sip-credentials
   * @param audioElement where the remote party's audio plays
   * @param listener {onRegistration(state, cause), onIncoming(call), onCallUpdate(call), onCallEnded(call, cause)}
   */
  constructor(credentials, audioElement, listener) {
    this.credentials = credentials;
    this.audio = audioElement;
    this.listener = listener;
    this.session = null;
    this.call = null;
    this.registration = 'unregistered';
    this.pcConfig = { iceServers: credentials.iceServers ?? [] };
  }

  start() {
    const c = this.credentials;
    const socket = new JsSIP.WebSocketInterface(c.wsUrl);
    this.ua = new JsSIP.UA({
      sockets: [socket],
      uri: `sip:${c.username}@${c.domain}`,
      authorization_user: c.username,
      password: c.password,
      display_name: c.displayName,
      register: true,
      // Short registrations: the server learns quickly when a browser tab died without unregistering.
      register_expires: 120,
      user_agent: 'callcenter-softphone JsSIP',
      // JsSIP retries the WebSocket itself (2 s up to 30 s) and registers again once it is back.
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
    this.ua.on('connecting', () => this.setRegistration('connecting'));
    this.ua.on('disconnected', () => this.setRegistration('disconnected'));
    this.ua.on('registered', () => this.setRegistration('registered'));
    this.ua.on('unregistered', () => this.setRegistration('unregistered'));
    this.ua.on('registrationFailed', (e) => this.setRegistration('failed', e.cause));
    this.ua.on('newRTCSession', (e) => this.onNewSession(e));
    this.ua.start();
  }

  stop() {
    if (!this.ua) return;
    this.ua.removeAllListeners();
    // Unregisters and ends any call: the server must not route calls to a signed-out agent.
    this.ua.stop();
    this.ua = null;
    this.session = null;
    this.call = null;
    this.audio.srcObject = null;
  }

  setRegistration(state, cause) {
    this.registration = state;
    this.listener.onRegistration(state, cause);
  }

  onNewSession({ session, originator, request }) {
    // Outgoing calls are placed by the server (POST /api/calls), which calls this phone first; the page never
    // sends INVITEs itself, so only remote sessions are expected here.
    if (originator !== 'remote') return;
    if (this.session) {
      // One call at a time: a second call must not take over the agent's audio.
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const autoAnswerCallId = request.getHeader(AUTO_ANSWER_HEADER);
    const identity = session.remote_identity;
    this.session = session;
    this.call = {
      direction: autoAnswerCallId ? 'outbound' : 'inbound',
      autoAnswer: Boolean(autoAnswerCallId),
      callId: autoAnswerCallId || null,
      number: identity?.uri?.user ?? '',
      name: identity?.display_name ?? '',
      status: 'ringing',
      muted: false,
      held: false,
      confirmedAt: null,
      dtmfSent: '',
    };
    this.wire(session);
    if (autoAnswerCallId) {
      this.answer();
    } else {
      this.listener.onIncoming(this.call);
    }
  }

  wire(session) {
    session.on('peerconnection', ({ peerconnection }) => {
      peerconnection.addEventListener('track', (event) => this.playRemote(event));
    });
    // JsSIP otherwise waits for ICE gathering to complete (seconds when an interface has no route). One host
    // candidate is enough for Asterisk, which is directly reachable.
    session.on('icecandidate', (e) => e.ready());
    session.on('accepted', () => this.update({ status: 'connecting' }));
    session.on('confirmed', () => this.update({ status: 'talking', confirmedAt: Date.now() }));
    session.on('hold', () => this.update({ held: true }));
    session.on('unhold', () => this.update({ held: false }));
    session.on('muted', () => this.update({ muted: true }));
    session.on('unmuted', () => this.update({ muted: false }));
    session.on('ended', (e) => this.finish(session, e.originator === 'local' ? 'hangup' : 'remote_hangup'));
    session.on('failed', (e) => this.finish(session, e.originator === 'local' ? 'rejected' : e.cause));
  }

  playRemote(event) {
    if (event.track.kind !== 'audio') return;
    // Our own stream around the receiver's track, not the browser's remote stream: on hold (sendonly/inactive)
    // the browser removes the track from its stream, which leaves the media element ended, and putting the track
    // back on unhold does not restart playback. The track itself just goes muted and comes back.
    this.audio.srcObject = new MediaStream([event.track]);
    // autoplay is not enough after a stream change in every browser; play() rejects harmlessly if blocked.
    this.audio.play().catch(() => {});
  }

  update(changes) {
    if (!this.call) return;
    Object.assign(this.call, changes);
    this.listener.onCallUpdate(this.call);
  }

  finish(session, cause) {
    if (session !== this.session) return;
    const call = this.call;
    this.session = null;
    this.call = null;
    this.audio.srcObject = null;
    if (call) {
      call.status = 'ended';
      this.listener.onCallEnded(call, cause);
    }
  }

  answer() {
    this.session?.answer({ mediaConstraints: MEDIA, pcConfig: this.pcConfig, rtcOfferConstraints: OFFER });
    this.update({ status: 'connecting' });
  }

  reject() {
    this.session?.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  }

  hangup() {
    this.session?.terminate();
  }

  toggleMute() {
    if (!this.session) return;
    if (this.session.isMuted().audio) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
  }

  toggleHold() {
    if (!this.session) return;
    // hold()/unhold() send a re-INVITE (sendonly / sendrecv); they return false while another one is pending.
    if (this.session.isOnHold().local) this.session.unhold();
    else this.session.hold();
  }

  sendDtmf(tone) {
    if (!this.session || this.call?.status !== 'talking') return;
    // In-band RFC 4733 events through the RTCDTMFSender: what Asterisk's dtmf_mode=auto/rfc4733 and IVRs expect.
    this.session.sendDTMF(tone, { transportType: JsSIP.C.DTMF_TRANSPORT.RFC2833 });
    this.update({ dtmfSent: this.call.dtmfSent + tone });
  }

  get peerConnection() {
    return this.session?.connection ?? null;
  }

  /** A summary of the current call's RTCPeerConnection statistics (null without a call). */
  async stats() {
    const pc = this.peerConnection;
    if (!pc) return null;
    const report = await pc.getStats();
    const summary = {
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      inbound: null,
      outbound: null,
      local: null,
      codecs: {},
    };
    for (const s of report.values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        summary.inbound = pick(s, ['packetsReceived', 'bytesReceived', 'packetsLost', 'jitter', 'audioLevel',
          'totalAudioEnergy', 'totalSamplesDuration', 'codecId']);
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        summary.outbound = pick(s, ['packetsSent', 'bytesSent', 'codecId']);
      } else if (s.type === 'media-source' && s.kind === 'audio') {
        summary.local = pick(s, ['audioLevel', 'totalAudioEnergy', 'totalSamplesDuration']);
      } else if (s.type === 'codec') {
        summary.codecs[s.id] = s.mimeType;
      }
    }
    for (const direction of ['inbound', 'outbound']) {
      const stream = summary[direction];
      if (stream) stream.codec = summary.codecs[stream.codecId] ?? null;
    }
    delete summary.codecs;
    return summary;
  }
}

function pick(source, keys) {
  const result = {};
  for (const key of keys) result[key] = source[key] ?? null;
  return result;
}
