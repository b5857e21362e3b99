package io.membercard.payment.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** payment-service settings. */
@ConfigMapping(prefix = "membercard.payment")
public interface PaymentConfig {

    /** How card payments take from actual and bonus money unless the tenant chose otherwise. */
    @WithDefault("PROPORTIONAL")
    String defaultSplitOrder();

    /** Dynamic pay codes (付款码). */
    PayCode payCode();

    interface PayCode {
        /** How long a pay code can be used. */
        @WithDefault("60s")
        Duration ttl();
    }
}
