import NexusCore
import Testing

@Suite struct ModelRefAndPathsSpecs {
    @Test func modelPartMayContainColons() {
        let r = ModelRef(parsing: "local:qwen2.5-coder:3b")
        #expect(r?.provider == "local")
        #expect(r?.model == "qwen2.5-coder:3b")
    }

    @Test(arguments: ["", "nocolon", ":model", "provider:", "a b:c"])
    func malformedModelRefsAreRejected(_ s: String) {
        #expect(ModelRef(parsing: s) == nil)
    }

    @Test func homeAndConfigFollowFlagsThenEnvironmentThenXDG() {
        let env = ["HOME": "/h", "XDG_DATA_HOME": "/xd", "XDG_CONFIG_HOME": "/xc"]
        let d = NexusPaths.resolve(homeFlag: nil, configFlag: nil, environment: env)
        #expect(d.home == "/xd/nexus")
        #expect(d.configFile == "/xc/nexus/nexus.toml")
        #expect(!d.configIsExplicit)
        let e = NexusPaths.resolve(
            homeFlag: nil, configFlag: nil,
            environment: env.merging(["NEXUS_HOME": "/n/", "NEXUS_CONFIG": "/c.toml"]) { $1 })
        #expect(e.home == "/n")
        #expect(e.configFile == "/c.toml")
        #expect(e.configIsExplicit)
        let f = NexusPaths.resolve(homeFlag: "/flag", configFlag: "/f.toml", environment: ["NEXUS_HOME": "/n"])
        #expect(f.home == "/flag")
        #expect(f.configDir == "/")
        let g = NexusPaths.resolve(homeFlag: nil, configFlag: nil, environment: ["HOME": "/u"])
        #expect(g.home == "/u/.local/share/nexus")
        #expect(g.configFile == "/u/.config/nexus/nexus.toml")
    }
}
