// REST client for /api: Bearer token on every request, RFC 9457 problem+json turned into ApiError.

const TOKEN_KEY = 'callcenter.token';

export class ApiError extends Error {
  constructor(status, problem, retryAfterSeconds) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem.type || '';
    // The contract identifies problems by the last path segment of "type" (…/do-not-call).
    this.slug = this.type.split('/').filter(Boolean).pop() || '';
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class Api {
  constructor(onUnauthorized) {
    this.onUnauthorized = onUnauthorized;
    // sessionStorage: survives a reload of this tab (an agent hitting F5 mid-shift) but not the browser closing,
    // and is not shared with other tabs, so two agents can use two tabs of one browser.
    this.token = sessionStorage.getItem(TOKEN_KEY);
  }

  get signedIn() {
    return Boolean(this.token);
  }

  async login(username, password) {
    const body = await this.request('POST', '/api/auth/login', { username, password }, { anonymous: true });
    this.token = body.token;
    sessionStorage.setItem(TOKEN_KEY, body.token);
    return body;
  }

  forget() {
    this.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  me() { return this.request('GET', '/api/me'); }
  sipCredentials() { return this.request('POST', '/api/me/sip-credentials'); }
  setAgentState(state) { return this.request('PUT', '/api/me/state', { state }); }
  dial(number, leadId) { return this.request('POST', '/api/calls', leadId ? { number, leadId } : { number }); }
  dispose(callId, code, note) {
    return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/disposition`, note ? { code, note } : { code });
  }
  call(callId) { return this.request('GET', `/api/calls/${encodeURIComponent(callId)}`); }
  /** A CALLBACK's time on the person's wall clock ("2026-03-03T14:30") and owner: AGENT (me) or CAMPAIGN. */
  scheduleCallback(callId, at, owner) { return this.request('POST', '/api/me/callbacks', { callId, at, owner }); }
  myCallbacks() { return this.request('GET', '/api/me/callbacks'); }
  dialCallback(id) { return this.request('POST', `/api/me/callbacks/${encodeURIComponent(id)}/dial`); }
  /** What the agent is offered now (a preview or a due callback), or null. */
  myOffer() { return this.request('GET', '/api/me/offer'); }
  dialPreview(id) { return this.request('POST', `/api/me/previews/${encodeURIComponent(id)}/dial`); }
  skipPreview(id, reason) { return this.request('POST', `/api/me/previews/${encodeURIComponent(id)}/skip`, { reason }); }
  addParticipant(callId, target) {
    return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/participants`, { target });
  }
  transfer(callId, target, mode) {
    return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/transfer`, { target, mode });
  }
  completeTransfer(callId) { return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/transfer/complete`); }
  cancelTransfer(callId) { return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/transfer/cancel`); }
  /** Payment pause (PCI DSS): paused=true while card details are spoken. Answers {paused}. */
  pauseRecording(callId, paused) {
    return this.request('POST', `/api/calls/${encodeURIComponent(callId)}/recording/${paused ? 'pause' : 'resume'}`);
  }
  history(cursor, limit = 20) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/api/calls?${query}`);
  }

  voicemailBoxes() { return this.request('GET', '/api/voicemail/boxes'); }
  voicemailMessages(boxId) { return this.request('GET', `/api/voicemail/boxes/${encodeURIComponent(boxId)}/messages`); }
  voicemailHeard(id) { return this.request('POST', `/api/voicemail/messages/${encodeURIComponent(id)}/heard`); }
  deleteVoicemail(id) { return this.request('DELETE', `/api/voicemail/messages/${encodeURIComponent(id)}`); }
  async voicemailAudio(path) { return (await this.fetch('GET', path, undefined, {})).blob(); }

  /** Recordings need the Bearer header, which a plain link cannot carry: fetch it and save the blob. */
  async downloadRecording(path, filename) {
    const response = await this.fetch('GET', path, undefined, {});
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  agentEventsUrl() {
    return this.webSocketUrl('/api/agent/events');
  }

  /**
   * Browsers cannot set headers on a WebSocket handshake, and the token must not travel in a URL (logs, proxies):
   * each connection asks for a single-use ticket that is worthless seconds later.
   */
  async webSocketUrl(path, query = {}) {
    const { ticket } = await this.request('POST', '/api/auth/ws-ticket');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const params = new URLSearchParams({ ...query, ticket });
    return `${scheme}://${location.host}${path}?${params}`;
  }

  /** Revokes the token on the server (a copied token stops working too), then forgets it here. */
  logout() {
    const token = this.token;
    this.forget();
    if (!token) return Promise.resolve();
    return fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
      .catch(() => {});
  }

  async request(method, path, body, options = {}) {
    const response = await this.fetch(method, path, body, options);
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  async fetch(method, path, body, { anonymous = false } = {}) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (!anonymous && this.token) headers.Authorization = `Bearer ${this.token}`;
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, { title: 'Server unreachable', detail: 'Check your network connection.' });
    }
    if (response.ok) return response;
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText || `HTTP ${response.status}` };
    }
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    const error = new ApiError(response.status, problem, Number.isFinite(retryAfter) ? retryAfter : undefined);
    if (response.status === 401 && !anonymous) this.onUnauthorized(error);
    throw error;
  }
}
