package io.meshcp;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

    @Test
    void modulesUseOnlyTheModulesTheyDeclareThroughTheirPublicApiAndHaveNoCycles() {
        ApplicationModules.of(MeshControlPlaneApplication.class).verify();
    }
}
