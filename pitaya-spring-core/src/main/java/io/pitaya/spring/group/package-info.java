/** API: groups of users ({@link io.pitaya.spring.group.GroupService}) and the store they live in. */
@NullMarked
package io.pitaya.spring.group;

import org.jspecify.annotations.NullMarked;
