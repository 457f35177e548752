package io.meshcp.shared.http;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class HttpConfiguration {

    /** Request bodies bounded before anything reads them, ahead of the security chains. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(HttpProperties properties,
            ObjectProvider<RequestBodyLimit> limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), limits.orderedStream().toList()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }
}
