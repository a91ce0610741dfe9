// Talks to a pitaya server over TCP with pomelo-protocol (the reference pomelo codec from npm), not
// with this project's code: handshake, ack, a Request, a Notify, pushes, an error response, heartbeat.
// Prints one JSON line per observation; exits 0 when the scenario completed.
const net = require('net');
const Protocol = require('pomelo-protocol');
const { Package, Message } = Protocol;

const [host, port] = [process.argv[2], Number(process.argv[3])];
const out = (o) => console.log(JSON.stringify(o));
const json = (bytes) => JSON.parse(Protocol.strdecode(bytes));
const socket = net.connect(port, host);
let buffered = Buffer.alloc(0);
let dict = {};
const names = () => Object.fromEntries(Object.entries(dict).map(([route, code]) => [code, route]));

function send(type, body) {
  socket.write(Package.encode(type, body));
}

function request(id, route, body) {
  send(Package.TYPE_DATA, Message.encode(id, Message.TYPE_REQUEST, 0, route, Protocol.strencode(JSON.stringify(body))));
}

socket.on('connect', () => {
  send(Package.TYPE_HANDSHAKE, Protocol.strencode(JSON.stringify(
      { sys: { type: 'js-socket', version: '0.0.1', rsa: {} }, user: {} })));
});

let step = 0;
socket.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = (buffered[1] << 16) | (buffered[2] << 8) | buffered[3];
    if (buffered.length < 4 + length) break;
    const packet = Package.decode(buffered.subarray(0, 4 + length));
    buffered = buffered.subarray(4 + length);
    onPacket(packet);
  }
});

function onPacket(packet) {
  if (packet.type === Package.TYPE_HANDSHAKE) {
    const answer = json(packet.body);
    dict = answer.sys.dict || {};
    out({ event: 'handshake', code: answer.code, heartbeat: answer.sys.heartbeat, serializer: answer.sys.serializer });
    send(Package.TYPE_HANDSHAKE_ACK);
    send(Package.TYPE_HEARTBEAT);
    request(1, 'room.join', {});
  } else if (packet.type === Package.TYPE_DATA) {
    const message = Message.decode(packet.body);
    const route = message.compressRoute ? names()[message.route] : message.route;
    const error = (packet.body[0] & 0x20) !== 0;
    out({ event: message.type === Message.TYPE_PUSH ? 'push' : 'response', id: message.id, route, error, body: json(message.body) });
    if (message.type === Message.TYPE_RESPONSE && message.id === 1) {
      send(Package.TYPE_DATA, Message.encode(0, Message.TYPE_NOTIFY, 0, 'room.message',
          Protocol.strencode(JSON.stringify({ name: 'pomelo', content: 'hello from pomelo-protocol' }))));
    }
    if (message.type === Message.TYPE_PUSH && route === 'onMessage') {
      request(300, 'room.nosuchroute', {});
    }
    if (message.type === Message.TYPE_RESPONSE && message.id === 300) {
      out({ event: 'done' });
      socket.end();
    }
  }
}

socket.on('error', (e) => { out({ event: 'error', message: e.message }); process.exit(1); });
setTimeout(() => { out({ event: 'timeout' }); process.exit(2); }, 15000).unref();
