package io.courier.rpc.benchmark.load;

import io.courier.rpc.benchmark.FixedUserService;
import io.courier.rpc.benchmark.ProfileService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {

    @Test
    void namesRoundTrip() {
        for (String name : new String[] {"existUser", "getUser", "listUser", "createUser", "mix", "getProfile:4096"}) {
            assertThat(Workload.of(name).methodName()).isEqualTo(name);
        }
        assertThat(Workload.of(" GETUSER ")).isSameAs(Workload.GET_USER);
        assertThat(Workload.of("getprofile:100").methodName()).isEqualTo("getProfile:100");
        assertThat(Workload.of("getProfile:65536").needsProfiles()).isTrue();
        assertThat(Workload.GET_USER.needsProfiles()).isFalse();
    }

    @Test
    void streamsNameTheirMessagesPerCall() {
        Workload w = Workload.of("STREAMUSERS:1000");
        assertThat(w.methodName()).isEqualTo("streamUsers:1000");
        assertThat(w.messagesPerCall()).isEqualTo(1000);
        assertThat(w.needsStreams()).isTrue();
        assertThat(w.needsProfiles()).isFalse();
        assertThat(Workload.GET_USER.messagesPerCall()).isEqualTo(1);
        assertThat(Workload.GET_USER.needsStreams()).isFalse();
        assertThatThrownBy(() -> Workload.of("streamUsers:many")).hasMessageContaining("streamUsers:<messages>");
        assertThatThrownBy(() -> Workload.of("streamUsers:0")).hasMessageContaining("messages: 0");
    }

    @Test
    void refusesUnknownMethodsAndBadSizes() {
        assertThatThrownBy(() -> Workload.of("getUsers")).hasMessageContaining("getUsers");
        assertThatThrownBy(() -> Workload.of("getProfile:big")).hasMessageContaining("getProfile:<bio bytes>");
        assertThatThrownBy(() -> Workload.of("getProfile:-1")).hasMessageContaining("bio bytes: -1");
        assertThatThrownBy(() -> Workload.profile(ProfileService.MAX_BIO_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void profilesCarryABioOfExactlyTheRequestedBytes() {
        FixedUserService service = new FixedUserService();
        for (int bytes : new int[] {0, 100, 4096, 65536, ProfileService.MAX_BIO_BYTES}) {
            assertThat(service.getProfile(3, bytes).getBio().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .hasSize(bytes);
        }
        assertThat(service.getProfile(3, 100)).isEqualTo(service.getProfile(3, 100));
        assertThat(service.getProfile(3, 100).getUser()).isEqualTo(service.getUser(3));
        assertThatThrownBy(() -> service.getProfile(3, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
