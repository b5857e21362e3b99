package io.membercard.payment.online;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** SHA256withRSA, as WeChat Pay v3 and Alipay (RSA2) sign requests and answers. */
final class Signatures {
    private Signatures() {
    }

    static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the configured private key cannot be read", e);
        }
    }

    static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the configured public key cannot be read", e);
        }
    }

    static String sign(PrivateKey key, String message) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(PublicKey key, String message, String base64Signature) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(base64Signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** WeChat Pay API v3 signs its answers and notifications over "timestamp\nnonce\nbody\n". */
    static boolean verifyWeChatPay(String publicKey, String timestamp, String nonce, String body, String signature) {
        return timestamp != null && nonce != null && signature != null
                && verify(publicKey(publicKey), timestamp + "\n" + nonce + "\n" + body + "\n", signature);
    }

    /** Decrypts a WeChat Pay API v3 notification's resource (AEAD_AES_256_GCM with the merchant's API v3 key). */
    static String decryptWeChatPay(String apiV3Key, String associatedData, String nonce, String ciphertext)
            throws GeneralSecurityException {
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.DECRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(apiV3Key.getBytes(StandardCharsets.UTF_8), "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
        if (associatedData != null) {
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return new String(cipher.doFinal(Base64.getDecoder().decode(ciphertext)), StandardCharsets.UTF_8);
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64.replaceAll("-----[A-Z ]+-----|\\s", ""));
    }
}
