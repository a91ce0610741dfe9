package io.pitaya.spring.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.pitaya.PitayaException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Waits on client futures. */
final class Futures {

    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    /** @return the PitayaException the request failed with */
    static PitayaException error(CompletableFuture<?> future) throws Exception {
        try {
            Object value = future.get(30, TimeUnit.SECONDS);
            return fail("expected an error response, got " + value);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PitayaException.class);
            return (PitayaException) e.getCause();
        }
    }
}
