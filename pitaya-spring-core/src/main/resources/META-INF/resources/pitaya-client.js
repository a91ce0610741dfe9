/*
 * A small pitaya client for browsers: WebSocket transport, JSON bodies. The starter serves it at /pitaya-client.js
 * from any pitaya server with a web server (Spring serves classpath:/META-INF/resources/). The wire format is the one in
 * the project's PROTOCOL.md (pitaya/pomelo): 4-byte packet headers, messages with flag, varint id and
 * route (text, or a 2-byte code from the handshake's dictionary).
 *
 *   const client = new PitayaClient();
 *   client.on('onMessage', msg => console.log(msg));
 *   await client.connect('ws://' + location.host + '/pitaya');
 *   const answer = await client.request('room.join', {});
 *   client.notify('room.message', {name: 'a', content: 'hi'});
 */
(function (global) {
  'use strict';

  const PACKET = {HANDSHAKE: 1, HANDSHAKE_ACK: 2, HEARTBEAT: 3, DATA: 4, KICK: 5};
  const MESSAGE = {REQUEST: 0, NOTIFY: 1, RESPONSE: 2, PUSH: 3};
  const FLAG_ROUTE_CODE = 0x01;
  const FLAG_COMPRESSED = 0x10;
  const FLAG_ERROR = 0x20;
  const EMPTY = new Uint8Array(0);
  const utf8 = new TextEncoder();
  const text = new TextDecoder();

  function encodePacket(type, body) {
    body = body || EMPTY;
    if (body.length > 0xffffff) {
      throw new Error('packet body of ' + body.length + ' bytes is too large');
    }
    const packet = new Uint8Array(4 + body.length);
    packet[0] = type;
    packet[1] = (body.length >>> 16) & 0xff;
    packet[2] = (body.length >>> 8) & 0xff;
    packet[3] = body.length & 0xff;
    packet.set(body, 4);
    return packet;
  }

  // Request/Notify: flag, varint id (requests only), route as code or as length + UTF-8, body.
  function encodeMessage(type, id, route, body, dict) {
    const code = dict[route];
    const head = [(type << 1) | (code !== undefined ? FLAG_ROUTE_CODE : 0)];
    if (type === MESSAGE.REQUEST) {
      do {
        let group = id % 128;
        id = Math.floor(id / 128);
        head.push(id > 0 ? group | 0x80 : group);
      } while (id > 0);
    }
    if (code !== undefined) {
      head.push((code >>> 8) & 0xff, code & 0xff);
    } else {
      const bytes = utf8.encode(route);
      if (bytes.length > 255) {
        throw new Error('route longer than 255 bytes: ' + route);
      }
      head.push(bytes.length, ...bytes);
    }
    const message = new Uint8Array(head.length + body.length);
    message.set(head, 0);
    message.set(body, head.length);
    return message;
  }

  // Response/Push: the inverse of encodeMessage, with the route code resolved through the dictionary.
  function decodeMessage(bytes, routes) {
    const flag = bytes[0];
    const type = (flag >> 1) & 0x07;
    let offset = 1;
    let id = 0;
    let route = null;
    if (type === MESSAGE.RESPONSE) {
      let shift = 1;
      let b;
      do {
        b = bytes[offset++];
        id += (b & 0x7f) * shift;
        shift *= 128;
      } while (b & 0x80);
    } else if (flag & FLAG_ROUTE_CODE) {
      const code = (bytes[offset] << 8) | bytes[offset + 1];
      offset += 2;
      route = routes[code];
    } else {
      const length = bytes[offset++];
      route = text.decode(bytes.subarray(offset, offset + length));
      offset += length;
    }
    return {
      type: type, id: id, route: route, body: bytes.subarray(offset),
      compressed: (flag & FLAG_COMPRESSED) !== 0, error: (flag & FLAG_ERROR) !== 0
    };
  }

  // zlib (RFC 1950) is what the Compression Streams API calls "deflate".
  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function isZlib(bytes) {
    return bytes.length > 1 && bytes[0] === 0x78 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;
  }

  function json(bytes) {
    return bytes.length === 0 ? null : JSON.parse(text.decode(bytes));
  }

  class PitayaClient {
    constructor() {
      this.socket = null;
      this.dict = {};          // route -> code, from the handshake
      this.routes = {};        // code -> route
      this.nextId = 1;
      this.pending = new Map(); // request id -> {resolve, reject}
      this.listeners = new Map(); // push route -> [callback]
      this.inbox = Promise.resolve(); // keeps packets in order while some are inflated
      this.heartbeatTimer = null;
      this.lastReceived = 0;
      this.onclose = null;
      this.onkick = null;
    }

    /**
     * Opens the WebSocket and does the handshake; resolves with the server's handshake answer.
     * @param {string} url e.g. ws://host:3251/pitaya
     * @param {object} [user] the handshake's user data
     */
    connect(url, user) {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.binaryType = 'arraybuffer';
        this.socket = socket;
        this.handshakeDone = {resolve: resolve, reject: reject};
        socket.onopen = () => {
          const handshake = {sys: {platform: 'js-websocket', libVersion: '0.1.0'}, user: user || {}};
          this.sendPacket(PACKET.HANDSHAKE, utf8.encode(JSON.stringify(handshake)));
        };
        socket.onmessage = event => {
          const bytes = new Uint8Array(event.data);
          this.inbox = this.inbox.then(() => this.receive(bytes)).catch(error => {
            console.error('pitaya: bad packet from the server', error);
            this.disconnect();
          });
        };
        socket.onerror = () => reject(new Error('WebSocket error on ' + url));
        socket.onclose = () => this.closed();
      });
    }

    /**
     * Sends a Request; resolves with the decoded response, rejects with the server's error object
     * ({code, msg, metadata}).
     */
    request(route, payload) {
      const id = this.nextId++;
      const body = utf8.encode(JSON.stringify(payload === undefined ? {} : payload));
      return new Promise((resolve, reject) => {
        this.pending.set(id, {resolve: resolve, reject: reject});
        try {
          this.sendPacket(PACKET.DATA, encodeMessage(MESSAGE.REQUEST, id, route, body, this.dict));
        } catch (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    }

    /** Sends a Notify; the server does not answer. */
    notify(route, payload) {
      const body = utf8.encode(JSON.stringify(payload === undefined ? {} : payload));
      this.sendPacket(PACKET.DATA, encodeMessage(MESSAGE.NOTIFY, 0, route, body, this.dict));
    }

    /** Listens to pushes on a route; the callback gets the decoded body. */
    on(route, callback) {
      if (!this.listeners.has(route)) {
        this.listeners.set(route, []);
      }
      this.listeners.get(route).push(callback);
    }

    disconnect() {
      if (this.socket) {
        this.socket.close();
      }
    }

    sendPacket(type, body) {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        throw new Error('not connected');
      }
      this.socket.send(encodePacket(type, body));
    }

    async receive(packet) {
      this.lastReceived = Date.now();
      const type = packet[0];
      const length = (packet[1] << 16) | (packet[2] << 8) | packet[3];
      const body = packet.subarray(4, 4 + length);
      switch (type) {
        case PACKET.HANDSHAKE:
          return this.handshake(isZlib(body) ? await inflate(body) : body);
        case PACKET.HEARTBEAT:
          return;
        case PACKET.DATA:
          return this.data(decodeMessage(body, this.routes));
        case PACKET.KICK:
          if (this.onkick) {
            this.onkick();
          }
          return this.disconnect();
        default:
          throw new Error('unknown packet type ' + type);
      }
    }

    handshake(body) {
      const answer = json(body);
      if (answer.code !== 200) {
        this.handshakeDone.reject(new Error('handshake refused with code ' + answer.code));
        return this.disconnect();
      }
      const sys = answer.sys || {};
      this.dict = sys.dict || {};
      this.routes = {};
      Object.keys(this.dict).forEach(route => this.routes[this.dict[route]] = route);
      this.sendPacket(PACKET.HANDSHAKE_ACK);
      if (sys.heartbeat > 0) {
        const interval = sys.heartbeat * 1000;
        this.heartbeatTimer = setInterval(() => {
          if (Date.now() - this.lastReceived > 2 * interval) {
            this.disconnect(); // the server went quiet
          } else {
            this.sendPacket(PACKET.HEARTBEAT);
          }
        }, interval);
      }
      this.handshakeDone.resolve(answer);
    }

    async data(message) {
      const body = message.compressed ? await inflate(message.body) : message.body;
      if (message.type === MESSAGE.RESPONSE) {
        const request = this.pending.get(message.id);
        if (request) {
          this.pending.delete(message.id);
          (message.error ? request.reject : request.resolve)(json(body));
        }
      } else if (message.type === MESSAGE.PUSH) {
        const payload = json(body);
        (this.listeners.get(message.route) || []).forEach(callback => callback(payload));
      }
    }

    closed() {
      clearInterval(this.heartbeatTimer);
      this.handshakeDone.reject(new Error('connection closed during the handshake'));
      this.pending.forEach(request => request.reject(new Error('connection closed')));
      this.pending.clear();
      if (this.onclose) {
        this.onclose();
      }
    }
  }

  global.PitayaClient = PitayaClient;
})(window);
