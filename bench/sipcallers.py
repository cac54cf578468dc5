"""Stand-in carrier callers for bench/queue_hold.py: a minimal SIP UAC over UDP (no authentication: Asterisk
identifies the carrier by its address) placing many calls at once, each with its own RTP socket that sends 20 ms
of mu-law silence every 20 ms (a real caller's line is never mute) and counts what Asterisk sends back.

Counted per call while a window is open: RTP packets, sequence gaps, and (for the sampled calls) the energy of the
audio, 1 s at a time, so "audio intact" is packets received against 50 per second and music above a floor.
"""
import asyncio
import random
import re
import socket
import struct
import time

SILENCE = b"\xff" * 160
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
RTP_BUFFER = 4 * 1024 * 1024


def ulaw_table():
    table = []
    for byte in range(256):
        u = ~byte & 0xFF
        sign, exponent, mantissa = u & 0x80, (u >> 4) & 0x07, u & 0x0F
        sample = (((mantissa << 3) + 0x84) << exponent) - 0x84
        table.append(-sample if sign else sample)
    return [s * s for s in table]


SQUARES = ulaw_table()


class Call:
    def __init__(self, number, index, local_ip, rtp_port, sampled):
        self.number, self.index, self.local_ip, self.rtp_port, self.sampled = number, index, local_ip, rtp_port, sampled
        self.call_id = f"bench-{index}-{random.getrandbits(48):x}@{local_ip}"
        self.tag = f"c{random.getrandbits(32):x}"
        self.branch = f"z9hG4bK-{random.getrandbits(48):x}"
        self.remote_tag = self.contact = self.rtp_remote = None
        self.state = "new"          # new, calling, answered, failed, ended (by Asterisk), bye
        self.final_status = None
        self.placed_at = self.answered_at = self.ended_at = None
        self.rtp_socket = None
        self.counting = False
        self.packets = 0
        self.gaps = 0
        self.last_seq = None
        self.seconds = {}           # second of the window -> [packets, sum of squares, samples] (sampled calls)
        self.window_start = None


class _Rtp(asyncio.DatagramProtocol):
    def __init__(self, call):
        self.call = call

    def datagram_received(self, data, addr):
        call = self.call
        if not call.counting or len(data) < 12:
            return
        call.packets += 1
        seq = struct.unpack_from("!H", data, 2)[0]
        if call.last_seq is not None and (seq - call.last_seq) & 0xFFFF != 1:
            call.gaps += 1
        call.last_seq = seq
        if call.sampled:
            second = int(time.time() - call.window_start)
            bucket = call.seconds.setdefault(second, [0, 0, 0])
            payload = data[12:]
            bucket[0] += 1
            bucket[1] += sum(SQUARES[b] for b in payload)
            bucket[2] += len(payload)


class _Sip(asyncio.DatagramProtocol):
    def __init__(self, callers):
        self.callers = callers

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.callers.received(data.decode(errors="replace"), addr)


def _header(message, name):
    match = re.search(r"^" + name + r":\s*(.*?)\r?$", message, re.M | re.I)
    return match.group(1).strip() if match else None


class Callers:
    """All calls of one source address; SIP to Asterisk at server:5060."""

    def __init__(self, local_ip, server, rtp_base, sample_every):
        self.local_ip, self.server, self.rtp_base, self.sample_every = local_ip, server, rtp_base, sample_every
        self.calls = {}
        self.placed = 0             # calls numbered (index, RTP port) before any await: calls may be placed concurrently
        self.sip = None
        self.sender = None

    async def start(self):
        loop = asyncio.get_running_loop()
        _, self.sip = await loop.create_datagram_endpoint(lambda: _Sip(self), local_addr=(self.local_ip, 5060))
        self.sender = asyncio.ensure_future(self._send_rtp())

    def _send(self, text):
        self.sip.transport.sendto(text.replace("\n", "\r\n").encode(), (self.server, 5060))

    async def place(self, number, count, rate):
        """Places count calls to number at rate calls per second; returns the calls."""
        placed = []
        for i in range(count):
            placed.append(await self.call(number))
            await asyncio.sleep(1 / rate)
        return placed

    async def call(self, number):
        """Places one call to number now (its INVITE sent before this returns); returns the call."""
        loop = asyncio.get_running_loop()
        index, self.placed = self.placed, self.placed + 1
        call = Call(number, index, self.local_ip, self.rtp_base + 2 * index, index % self.sample_every == 0)
        call.rtp_socket, _ = await loop.create_datagram_endpoint(lambda c=call: _Rtp(c),
                                                                 local_addr=(self.local_ip, call.rtp_port))
        # Seconds of audio in the kernel's buffer: on a loaded machine this process may fall behind for a while,
        # and a packet dropped here would be counted against Asterisk. SO_RCVBUFFORCE (root) passes rmem_max.
        call.rtp_socket.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RTP_BUFFER)
        self.calls[call.call_id] = call
        self._invite(call)
        asyncio.ensure_future(self._retransmit(call))
        return call

    def _invite(self, call):
        call.state, call.placed_at = "calling", call.placed_at or time.time()
        sdp = (f"v=0\no=carrier {call.index} 1 IN IP4 {self.local_ip}\ns=-\nc=IN IP4 {self.local_ip}\nt=0 0\n"
               f"m=audio {call.rtp_port} RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=ptime:20\n").replace("\n", "\r\n")
        self._send(f"INVITE sip:{call.number}@{self.server}:5060 SIP/2.0\n"
                   f"Via: SIP/2.0/UDP {self.local_ip}:5060;branch={call.branch};rport\n"
                   f"From: <sip:+1555123{call.index:04d}@{self.local_ip}>;tag={call.tag}\n"
                   f"To: <sip:{call.number}@{self.server}>\nCall-ID: {call.call_id}\nCSeq: 1 INVITE\n"
                   f"Contact: <sip:+1555123{call.index:04d}@{self.local_ip}:5060>\nMax-Forwards: 70\n"
                   f"Content-Type: application/sdp\nContent-Length: {len(sdp)}\n\n" + sdp.replace("\r\n", "\n"))

    async def _retransmit(self, call):
        delay = 0.5
        while call.state == "calling" and call.final_status is None:
            await asyncio.sleep(delay)
            if call.state == "calling" and not getattr(call, "provisional", False):
                self._invite(call)
                delay = min(delay * 2, 4)

    def _in_dialog(self, call, method, cseq):
        return (f"{method} {call.contact} SIP/2.0\n"
                f"Via: SIP/2.0/UDP {self.local_ip}:5060;branch=z9hG4bK-{random.getrandbits(48):x};rport\n"
                f"From: <sip:+1555123{call.index:04d}@{self.local_ip}>;tag={call.tag}\n"
                f"To: <sip:{call.number}@{self.server}>;tag={call.remote_tag}\nCall-ID: {call.call_id}\n"
                f"CSeq: {cseq} {method}\nMax-Forwards: 70\nContent-Length: 0\n\n")

    def received(self, message, addr):
        call = self.calls.get(_header(message, "Call-ID") or "")
        first = message.split("\r\n", 1)[0]
        if first.startswith("SIP/2.0"):
            if call is None:
                return
            status = int(first.split()[1])
            cseq = _header(message, "CSeq") or ""
            if cseq.endswith("INVITE"):
                self._invite_response(call, status, message)
            elif cseq.endswith("BYE") and status >= 200:
                call.state = "bye"
            return
        method = first.split()[0]
        # Requests from Asterisk: a BYE ends the call (counted), anything else (OPTIONS, re-INVITE) is accepted.
        if call is not None and method == "BYE":
            call.state, call.ended_at = "ended", time.time()
        response = ["SIP/2.0 200 OK"]
        for name in ("Via", "From", "To", "Call-ID", "CSeq"):
            for value in re.findall(r"^" + name + r":\s*(.*?)\r?$", message, re.M | re.I):
                response.append(f"{name}: {value}")
        body = ""
        if method == "INVITE" and call is not None:
            body = (f"v=0\r\no=carrier {call.index} 2 IN IP4 {self.local_ip}\r\ns=-\r\nc=IN IP4 {self.local_ip}\r\n"
                    f"t=0 0\r\nm=audio {call.rtp_port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
            response.append(f"Contact: <sip:carrier@{self.local_ip}:5060>")
            response.append("Content-Type: application/sdp")
        response.append(f"Content-Length: {len(body)}")
        self.sip.transport.sendto(("\r\n".join(response) + "\r\n\r\n" + body).encode(), addr)

    def _invite_response(self, call, status, message):
        if status < 200:
            call.provisional = True
            return
        to = _header(message, "To") or ""
        tag = re.search(r";tag=([^;>\s]+)", to)
        call.remote_tag = tag.group(1) if tag else call.remote_tag
        if status >= 300:
            call.final_status = call.final_status or status
            call.state = "failed"
            self._send(f"ACK sip:{call.number}@{self.server}:5060 SIP/2.0\n"
                       f"Via: SIP/2.0/UDP {self.local_ip}:5060;branch={call.branch};rport\n"
                       f"From: <sip:+1555123{call.index:04d}@{self.local_ip}>;tag={call.tag}\n"
                       f"To: {to}\nCall-ID: {call.call_id}\nCSeq: 1 ACK\nContent-Length: 0\n\n")
            return
        contact = re.search(r"<([^>]+)>", _header(message, "Contact") or "")
        call.contact = contact.group(1) if contact else f"sip:{self.server}:5060"
        media = re.search(r"^c=IN IP4 (\S+)", message, re.M), re.search(r"^m=audio (\d+)", message, re.M)
        if media[0] and media[1]:
            call.rtp_remote = (media[0].group(1), int(media[1].group(1)))
        if call.final_status is None:
            call.final_status, call.answered_at, call.state = status, time.time(), "answered"
        self._send(self._in_dialog(call, "ACK", 1))

    async def _send_rtp(self):
        seq, ts, tick = 0, 0, time.time()
        ssrc = random.getrandbits(32)
        while True:
            tick += 0.02
            await asyncio.sleep(max(0.0, tick - time.time()))
            seq, ts = (seq + 1) & 0xFFFF, (ts + 160) & 0xFFFFFFFF
            packet = struct.pack("!BBHII", 0x80, 0, seq, ts, ssrc) + SILENCE
            for call in list(self.calls.values()):
                if call.state == "answered" and call.rtp_remote and call.rtp_socket:
                    call.rtp_socket.sendto(packet, call.rtp_remote)

    def open_window(self, calls):
        now = time.time()
        for call in calls:
            call.counting, call.window_start, call.packets, call.gaps, call.last_seq, call.seconds = \
                True, now, 0, 0, None, {}

    def close_window(self, calls):
        for call in calls:
            call.counting = False

    async def hang_up(self, calls):
        for call in calls:
            if call.state == "answered":
                self._send(self._in_dialog(call, "BYE", 2))
                call.state = "hanging up"
            elif call.state == "calling":
                # Never answered: CANCEL is not needed by the bench's refusals, a BYE-less end is counted as failed.
                call.state = "failed"
        deadline = time.time() + 10
        while time.time() < deadline and any(c.state == "hanging up" for c in calls):
            await asyncio.sleep(0.5)
            for call in calls:
                if call.state == "hanging up":
                    self._send(self._in_dialog(call, "BYE", 2))
        for call in calls:
            if call.rtp_socket:
                call.rtp_socket.close()
                call.rtp_socket = None

    @staticmethod
    def rms_per_second(call):
        """The RMS (16-bit linear) of each whole second of a sampled call's window."""
        return [(b[1] / b[2]) ** 0.5 for _, b in sorted(call.seconds.items()) if b[2]]
