package io.membercard.wechat.setting;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import io.membercard.common.api.ApiException;

/**
 * Alipay's keys as its console gives them: base64 of a PKCS#8 RSA private key (the application's) and of an X.509
 * RSA public key (Alipay's), PEM armour and line breaks allowed. Checked before anything is stored: RSA, at least
 * 2048 bits (Alipay's RSA2).
 */
final class ProviderKeys {
    private ProviderKeys() {
    }

    /** The key's base64, without armour or whitespace; a 400 naming {@code field} when it is no such key. */
    static String privateKey(String field, String text) {
        String base64 = strip(text);
        try {
            var key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (key.getModulus().bitLength() < 2048) {
                throw ApiException.badInput(field, "must be an RSA key of at least 2048 bits (RSA2)");
            }
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw ApiException.badInput(field, "must be the application's RSA private key (PKCS#8, base64)");
        }
        return base64;
    }

    static String publicKey(String field, String text) {
        String base64 = strip(text);
        try {
            var key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (key.getModulus().bitLength() < 2048) {
                throw ApiException.badInput(field, "must be an RSA key of at least 2048 bits (RSA2)");
            }
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw ApiException.badInput(field, "must be Alipay's RSA public key (X.509, base64)");
        }
        return base64;
    }

    /** Whether the public key is the private key's own (the same modulus). */
    static boolean samePair(String privateBase64, String publicBase64) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            var privateKey = (RSAPrivateCrtKey) rsa
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateBase64)));
            var publicKey = (RSAPublicKey) rsa
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicBase64)));
            return privateKey.getModulus().equals(publicKey.getModulus());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String strip(String text) {
        return text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    }
}
