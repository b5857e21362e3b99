package io.membercard.payment;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import io.membercard.common.testing.TestKeys;

/**
 * Key pairs for the online channels in tests, made once per JVM and kept in system properties (shared by the test
 * resource and the tests): the merchant's (signs our requests) and the channel's (signs its answers).
 */
public final class ChannelKeys {
    private ChannelKeys() {
    }

    public static synchronized String merchantPrivate() {
        ensure();
        return System.getProperty("membercard.test.merchant.private");
    }

    public static synchronized String merchantPublic() {
        ensure();
        return System.getProperty("membercard.test.merchant.public");
    }

    public static synchronized String channelPublic() {
        ensure();
        return System.getProperty("membercard.test.channel.public");
    }

    /** Signs {@code message} as the channel does (SHA256withRSA, base64). */
    public static String signAsChannel(String message) {
        ensure();
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(System.getProperty("membercard.test.channel.private")))));
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code signature} is the merchant's over {@code message}. */
    public static boolean signedByMerchant(String message, String signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(KeyFactory.getInstance("RSA").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(merchantPublic()))));
            verifier.update(message.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ensure() {
        if (System.getProperty("membercard.test.merchant.private") != null) {
            return;
        }
        KeyPair merchant = TestKeys.generate();
        KeyPair channel = TestKeys.generate();
        Base64.Encoder base64 = Base64.getEncoder();
        System.setProperty("membercard.test.merchant.private",
                base64.encodeToString(merchant.getPrivate().getEncoded()));
        System.setProperty("membercard.test.merchant.public", base64.encodeToString(merchant.getPublic().getEncoded()));
        System.setProperty("membercard.test.channel.private", base64.encodeToString(channel.getPrivate().getEncoded()));
        System.setProperty("membercard.test.channel.public", base64.encodeToString(channel.getPublic().getEncoded()));
    }
}
