package io.meshcp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(sharedModules = "shared")
public class MeshControlPlaneApplication {

    public static void main(String[] args) {
        SpringApplication.run(MeshControlPlaneApplication.class, args);
    }
}
