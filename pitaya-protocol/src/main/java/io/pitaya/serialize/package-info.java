/** Payload serializers: JSON and protobuf, as pitaya negotiates them in the handshake. */
@NullMarked
package io.pitaya.serialize;

import org.jspecify.annotations.NullMarked;
