package io.membercard.wechat.config;

import io.smallrye.config.ConfigMapping;

/** wechat-gateway settings. */
@ConfigMapping(prefix = "membercard.wechat")
public interface WechatConfig {

    /**
     * Keys that seal tenants' provider credentials at rest (AES-256-GCM), as {@code id:base64} of 32 bytes, comma
     * separated: the first seals, every one listed opens (common's Keyring). Required; tools/dev makes one.
     */
    String credentialKeys();

    /**
     * Where WeChat reaches the platform from outside (the gateway's public address): a tenant's callback URL is
          * {@code <public-url>/api/weixin/notify/<tenantId>}. Required: a default would hand tenants an address WeChat
     * cannot reach.
     */
    String publicUrl();
}
