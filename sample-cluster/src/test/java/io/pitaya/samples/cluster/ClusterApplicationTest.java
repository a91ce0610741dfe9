package io.pitaya.samples.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClusterApplicationTest {

    @Test
    void whenNoRoleProfileIsActiveThenStartUpSaysWhichToChoose() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClusterApplication.run())
                .withMessageContaining("frontend").withMessageContaining("backend").withMessageContaining("local");
    }
}
