package io.meshcp.clientconfig;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/** An ETag on client-config, so a player revalidating an unchanged config gets a 304. */
@Configuration(proxyBeanMethods = false)
class ClientConfigConfiguration {

    @Bean
    FilterRegistrationBean<ShallowEtagHeaderFilter> clientConfigEtags() {
        FilterRegistrationBean<ShallowEtagHeaderFilter> registration =
                new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
        registration.addUrlPatterns("/v1/client-config");
        return registration;
    }
}
