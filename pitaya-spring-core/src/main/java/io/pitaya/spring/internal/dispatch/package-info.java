/** Internal: from a decoded message to its handler, local or forwarded, one message of a session at a time. */
@NullMarked
package io.pitaya.spring.internal.dispatch;

import org.jspecify.annotations.NullMarked;
