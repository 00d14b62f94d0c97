import Testing

@testable import NexusModules

/// What `creds set` says about a value it stores: redaction is never relaxed, so a value that cannot be a real
/// key is named when it is stored, with what hiding it everywhere will mean. The value is never repeated.
@Suite struct CredentialAdviceSpecs {
    func warning(_ value: String, name: String = "api_key") -> String {
        CredentialAdvice.valueWarning(Array(value.utf8), module: "m", name: name)
    }

    @Test(arguments: ["wrong", "password", "test", "Secret", "hello"])
    func everydayWordsAreNamedAsNoKey(_ value: String) {
        let w = warning(value)
        #expect(w.hasPrefix("warning: this value is everyday English, not a key or token"), "\(w)")
        #expect(w.contains("will read «redacted:m/api_key»"), "\(w)")
        #expect(!w.contains(value), "the value is never repeated: \(w)")
    }

    @Test func aShortValueIsNamedByItsLength() {
        let w = warning("x7Kq2Zp1")
        #expect(w.contains("8 characters long, too short for an API key or token"), "\(w)")
        #expect(w.contains("nexus creds set m api_key"), "\(w)")
    }

    @Test(arguments: [
        "wk_9f3a1c77e2b04d5e8a61", "ghp_R4nd0mL00k1ngT0k3nV4lu3xyz", "zqxjvbnmwrtplkhgfdszxcvbnmq",
        "correct-horse-battery-staple",
    ])
    func keysAndRandomLettersPassQuietly(_ value: String) {
        #expect(warning(value).isEmpty, "\(warning(value))")
    }

    @Test func aUserNameOrPasswordGetsOnlyTheConsequence() {
        let w = warning("admin", name: "basic_auth_username")
        #expect(w.hasPrefix("note: nexus hides every stored value wherever it appears"), "\(w)")
        #expect(!w.contains("not a key"), "\(w)")
        #expect(warning("x9!pLm2#q", name: "db_password").isEmpty, "a short password is not everyday text")
    }

    @Test(arguments: [" wk_9f3a1c77e2b04d5e8a61", "wk_9f3a1c77e2b04d5e8a61 ", "wk_9f3a1c77e2b04d5e8a61\t"])
    func whitespaceAtEitherEndIsNamedAsAPasteMistake(_ value: String) {
        let w = warning(value)
        #expect(w.contains("with a space, tab or line break, which the module will send as part of it"), "\(w)")
        #expect(w.contains("nexus creds set m api_key"), "\(w)")
        #expect(warning("line one\nline two of a long private key").isEmpty, "inner line breaks are a PEM's own")
    }

    @Test func valuesTooShortToRedactAreLeftToTheVaultsOwnWarning() {
        #expect(warning("abc").isEmpty)
    }
}
