import Testing

@testable import NexusLLM

/// libcurl is loaded on first use: a missing library is one clear error with the fix, never a crash.
@Suite struct CurlLibraryTests {
    @Test func missingLibcurlIsOneErrorNamingTheFileAndTheFix() throws {
        let result = CurlLibrary.load(sonames: ["libcurl-nexus-test-missing.so.9"])
        guard case .failure(let error) = result else {
            Issue.record("loading a library that does not exist succeeded")
            return
        }
        #expect(error.reason.contains("libcurl-nexus-test-missing.so.9"))
        #expect(error.description.contains("apt-get install libcurl4"))
        #expect(!error.description.contains("\n"))
    }

    @Test func laterSonamesAreTriedWhenTheFirstIsMissing() throws {
        let lib = try CurlLibrary.load(sonames: ["libcurl-nexus-test-missing.so.9", "libcurl.so.4"]).get()
        #expect(lib.versionLine.hasPrefix("libcurl/"))
    }

    @Test func theSharedLibraryReportsItsVersionForDoctor() throws {
        let line = try CurlInfo.version.get()
        #expect(line.hasPrefix("libcurl/"))
    }
}
