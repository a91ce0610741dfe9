/** API: interceptors around handlers and remotes. */
@NullMarked
package io.pitaya.spring.dispatch;

import org.jspecify.annotations.NullMarked;
