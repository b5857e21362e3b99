package io.membercard.payment.config;

import java.time.Duration;
import java.util.Optional;

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

    /** WeChat Pay (API v3), for refunds of recharges paid by WeChat (S1-26). */
    WeChatPay wechatPay();

    interface WeChatPay {
        /** Base URL of the API. */
        @WithDefault("https://api.mch.weixin.qq.com")
        String url();

        /** The merchant id (mchid); without it, WeChat Pay refunds are refused. */
        Optional<String> mchId();

        /** Serial number of the merchant's API certificate. */
        Optional<String> serialNo();

        /** The merchant's private key (PKCS#8, base64), which signs each request. */
        Optional<String> privateKey();

        /** WeChat Pay's public key (X.509 SubjectPublicKeyInfo, base64); when set, answers must be signed with it. */
        Optional<String> platformPublicKey();

        /** The merchant's API v3 key (32 characters), which decrypts WeChat Pay's refund notifications. */
        Optional<String> apiV3Key();

        /** Where WeChat Pay sends refund notifications (the gateway's {@code api/member/recharge/refundnotify/wechatpay}). */
        Optional<String> notifyUrl();
    }

    /** Online recharge refunds (S1-26). */
    OnlineRefund onlineRefund();

    interface OnlineRefund {
        /** How long a call to WeChat Pay or Alipay may take; a slower answer leaves the refund pending. */
        @WithDefault("5s")
        Duration timeout();

        /** How often pending refunds are asked after (the first check follows this long after the refund). */
        @WithDefault("30s")
        Duration checkEvery();

        /** The longest wait between two checks of a refund that stays pending (the wait doubles up to it). */
        @WithDefault("1h")
        Duration maxCheckWait();
    }

    /** Alipay (OpenAPI), for refunds of recharges paid by Alipay (S1-26). */
    Alipay alipay();

    interface Alipay {
        /** The gateway. */
        @WithDefault("https://openapi.alipay.com/gateway.do")
        String url();

        /** The app id; without it, Alipay refunds are refused. */
        Optional<String> appId();

        /** The app's private key (PKCS#8, base64), which signs each request (RSA2). */
        Optional<String> privateKey();

        /** Alipay's public key (base64); when set, answers must be signed with it. */
        Optional<String> alipayPublicKey();
    }

    /** The reconciliation job (ReconcileJob). */
    Reconcile reconcile();

    interface Reconcile {
        /** How often a round runs: the accounts changed since the last one, then the full pass goes on. */
        @WithDefault("30s")
        Duration every();

        /** How soon after a full pass ended the next one starts. */
        @WithDefault("1h")
        Duration fullPassEvery();

        /** How long one round may spend on the full pass before it leaves the rest to the next round. */
        @WithDefault("20s")
        Duration roundBudget();
    }

    interface PayCode {
        /** How long a pay code can be used. */
        @WithDefault("60s")
        Duration ttl();
    }
}
