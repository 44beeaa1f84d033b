package dev.junction.governance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = Passwords.standard();

    @Test
    void hashesAreArgon2idWithTheDocumentedParametersAndASaltOfTheirOwn() {
        String first = passwords.hash("correct horse battery");
        String second = passwords.hash("correct horse battery");
        assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(second).isNotEqualTo(first);
        assertThat(passwords.verify("correct horse battery", first)).isTrue();
        assertThat(passwords.verify("correct horse batterY", first)).isFalse();
    }

    @Test
    void aMalformedHashNeverVerifies() {
        assertThat(passwords.verify("anything", "not-a-hash")).isFalse();
        assertThat(passwords.verify("anything", "")).isFalse();
    }

    @Test
    void newPasswordsNeedEightCharacters() {
        assertThat(Passwords.problem("short")).hasValue("must be at least 8 characters");
        assertThat(Passwords.problem(null)).isPresent();
        assertThat(Passwords.problem("long enough")).isEmpty();
    }

    @Test
    void adminTokensStartWithJatAndShowOnlyTheirEnds() {
        AdminTokens tokens = new AdminTokens(KeyHasher.withPepper(new byte[32]));
        String token = tokens.generate();
        assertThat(token).startsWith("jat-").hasSize(4 + 43);
        assertThat(tokens.generate()).isNotEqualTo(token);
        assertThat(AdminTokens.visiblePrefix(token)).isEqualTo(token.substring(0, 8));
        assertThat(AdminTokens.visibleSuffix(token)).isEqualTo(token.substring(token.length() - 4));
        assertThat(tokens.hash(token)).hasSize(64).doesNotContain(token.substring(4));
    }
}
