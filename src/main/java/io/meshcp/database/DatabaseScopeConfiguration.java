package io.meshcp.database;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.persistence.EntityManagerFactory;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Transactions in scopes: the transaction manager that enters them, and the advice that puts every call of a bean
 * method with a {@link TenantId} parameter in that organisation's scope, and of one marked {@link SystemScope} in
 * the system scope. The advice sits outside
 * {@code @Transactional}, so the transaction the call begins is already in scope.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseScopeConfiguration {

    // Looked up per call: the parameter annotations are read once per method, not copied on every invocation.
    private static final Map<Method, Integer> TENANT_ID_INDEX = new ConcurrentHashMap<>();

    @Bean
    PlatformTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new ScopedTransactionManager(entityManagerFactory);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor tenantScopeAdvisor() {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new ScopedMethods(), (MethodInterceptor) call -> {
            if (call.getMethod().isAnnotationPresent(SystemScope.class)) {
                return DatabaseScope.within(new DatabaseScope.System(), call::proceed);
            }
            int index = tenantIdIndex(call.getMethod());
            Object tenantId = index < 0 ? null : call.getArguments()[index];
            if (!(tenantId instanceof UUID id)) {
                throw new IllegalArgumentException(call.getMethod().getName() + " was called without a tenant id");
            }
            return DatabaseScope.within(new DatabaseScope.Tenant(id), call::proceed);
        });
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }

    static int tenantIdIndex(Method method) {
        return TENANT_ID_INDEX.computeIfAbsent(method, DatabaseScopeConfiguration::findTenantIdIndex);
    }

    private static int findTenantIdIndex(Method method) {
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation annotation : annotations[i]) {
                if (annotation instanceof TenantId) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Methods of the application's beans with a {@link TenantId} parameter or a {@link SystemScope}. */
    private static final class ScopedMethods extends StaticMethodMatcherPointcut {

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
            return targetClass.getPackageName().startsWith("io.meshcp")
                    && (specific.isAnnotationPresent(SystemScope.class) || tenantIdIndex(specific) >= 0);
        }
    }
}
