package io.membercard.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyringTest {
    private static final String A = "a:" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    private static final String B = "b:"
            + java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealsUnderTheFirstKeyOpensUnderAnyListedAndOnlyInItsContext() {
        Keyring old = new Keyring("test.keys", A);
        String sealed = old.seal("s3cret", "tenant:1:field");
        assertThat(sealed).startsWith("v1:a:").doesNotContain("s3cret");
        assertThat(old.seal("s3cret", "tenant:1:field")).isNotEqualTo(sealed);
        assertThat(old.open(sealed, "tenant:1:field")).isEqualTo("s3cret");
        assertThatThrownBy(() -> old.open(sealed, "tenant:2:field")).hasMessageContaining("cannot be read");
        // Rotated: b seals, a still opens what it sealed.
        Keyring rotated = new Keyring("test.keys", B + "," + A);
        assertThat(rotated.isCurrent(sealed)).isFalse();
        assertThat(rotated.open(sealed, "tenant:1:field")).isEqualTo("s3cret");
        assertThat(rotated.isCurrent(rotated.seal("x", ""))).isTrue();
        // A key no longer listed names itself, never the value.
        assertThatThrownBy(() -> new Keyring("test.keys", B).open(sealed, "tenant:1:field"))
                .hasMessageContaining("key 'a'").hasMessageNotContaining("s3cret");
        // A tampered value does not open.
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> old.open(tampered, "tenant:1:field")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badKeysAreRefusedNamingTheSettingNotTheKey() {
        assertThatThrownBy(() -> new Keyring("test.keys", "")).hasMessageStartingWith("test.keys: ");
        assertThatThrownBy(() -> new Keyring("test.keys", "a:c2hvcnQ="))
                .hasMessage("test.keys: key a must be 32 bytes");
        assertThatThrownBy(() -> new Keyring("test.keys", "nocolon")).hasMessage("test.keys: each key is id:base64");
    }
}
