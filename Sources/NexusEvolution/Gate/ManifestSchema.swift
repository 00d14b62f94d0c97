/// docs/manifest.schema.json, compiled in so an installed nexus needs no docs folder to run the gate.
/// `manifestSchemaMatchesTheDocsFile` keeps the two identical.
enum ManifestSchema {
    static let text = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://nexus.local/schemas/manifest.schema.json",
          "title": "NEXUS module manifest (manifest.json)",
          "description": "A module folder's manifest (DESIGN §4.3): the seed's fields plus runtime, credentials, network, filesystem, env, limits, rate_limit_per_minute, sensitive_tools and sha256. nexus validates it with the same rules (Sources/NexusModules/Manifest/ManifestValidator.swift) and names the field of every problem, e.g. `network.allow[0]: \"https://x\" is a URL, expected a host name`. Unknown keys are kept and ignored.",
          "type": "object",
          "required": ["name", "version", "category", "description", "entry_point", "test_file"],
          "anyOf": [
            { "required": ["runtime"] },
            { "required": ["entry_point"], "properties": { "entry_point": { "pattern": "\\.py$" } } }
          ],
          "properties": {
            "name": {
              "description": "Module name; tools are offered to the model as <name>__<tool>, so it never contains \"__\".",
              "$ref": "#/$defs/identifier"
            },
            "version": {
              "description": "The module's version, like 1.0.0.",
              "type": "string",
              "pattern": "^[0-9][0-9A-Za-z.+-]{0,63}$"
            },
            "category": {
              "description": "Folder the module is installed under: modules/<category>/<name>/.",
              "$ref": "#/$defs/identifier"
            },
            "platform": { "type": ["string", "null"] },
            "display_name": { "type": ["string", "null"] },
            "description": { "description": "What the module gives the user.", "type": "string", "minLength": 1 },
            "entry_point": {
              "description": "The adapter file, relative to the module folder; it must stay inside the folder (no ../, no absolute path, no symbolic link leading out). A .py entry point without runtime means [\"python3\", entry_point].",
              "$ref": "#/$defs/relativePath"
            },
            "class_name": { "type": ["string", "null"] },
            "requires_api_key": { "type": ["boolean", "null"] },
            "api_key_instructions": { "type": ["string", "null"] },
            "python_dependencies": { "type": ["array", "null"], "items": { "type": "string" } },
            "test_file": {
              "description": "Run by `nexus modules test NAME` and by the gate, offline; relative to the module folder.",
              "$ref": "#/$defs/relativePath",
              "pattern": "\\.py$"
            },
            "health_status": { "enum": ["healthy", "degraded", "failing", "disabled", "unknown", null] },
            "created_by": { "type": ["string", "null"] },
            "created_at": { "type": ["string", "null"] },
            "build_provider": { "type": ["string", "null"] },
            "validation_results": { "type": ["object", "null"] },
            "runtime": {
              "description": "How the module's process is started. It speaks MCP over stdio (JSON-RPC 2.0, one message per line).",
              "type": "object",
              "required": ["command"],
              "properties": {
                "protocol": { "const": "mcp-stdio" },
                "command": {
                  "description": "argv, run in the module folder; command[0] is looked up on PATH when it has no slash.",
                  "type": "array",
                  "minItems": 1,
                  "items": { "type": "string", "minLength": 1 }
                }
              }
            },
            "credentials": {
              "description": "Secrets the module needs; nexus injects each from the vault as environment variable `env` of the module's process only.",
              "type": ["array", "null"],
              "items": {
                "type": "object",
                "required": ["name", "env"],
                "properties": {
                  "name": { "type": "string", "minLength": 1 },
                  "env": {
                    "type": "string",
                    "pattern": "^[A-Z_][A-Z0-9_]{0,127}$",
                    "not": { "anyOf": [{ "$ref": "#/$defs/reservedEnv" }] }
                  },
                  "instructions": { "type": ["string", "null"] }
                }
              }
            },
            "network": {
              "description": "The only hosts the module's process may reach.",
              "type": ["object", "null"],
              "properties": {
                "allow": {
                  "type": ["array", "null"],
                  "items": {
                    "description": "A host name (not a URL), optionally *.-prefixed and with :port.",
                    "type": "string",
                    "pattern": "^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"
                  }
                }
              }
            },
            "filesystem": {
              "description": "Host paths (folders or files) mounted into the module's sandbox at the same absolute path. Never the home directory itself or anything containing it, nexus's home, or nexus's config directory.",
              "type": ["object", "null"],
              "additionalProperties": false,
              "properties": {
                "read": { "description": "Mounted read-only.", "type": ["array", "null"], "items": { "$ref": "#/$defs/grantPath" } },
                "write": { "description": "Mounted read-write.", "type": ["array", "null"], "items": { "$ref": "#/$defs/grantPath" } }
              }
            },
            "env": {
              "description": "Settings that are not secret, passed to the process as environment variables (shown in the approval, not redacted).",
              "type": ["object", "null"],
              "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,127}$", "not": { "$ref": "#/$defs/reservedEnv" } },
              "additionalProperties": { "type": "string" }
            },
            "limits": {
              "description": "Resource limits of the module's process; absent fields take [sandbox.integration] memory_mb and [modules] cpu_seconds.",
              "type": ["object", "null"],
              "additionalProperties": false,
              "properties": {
                "memory_mb": { "type": ["integer", "null"], "minimum": 16, "maximum": 1048576 },
                "cpu_seconds": { "description": "CPU time over the process's life; 0 for none.", "type": ["integer", "null"], "minimum": 0, "maximum": 604800 }
              }
            },
            "rate_limit_per_minute": {
              "description": "Calls allowed in any 60-second window; more are refused with the time until the next slot.",
              "type": ["integer", "null"],
              "minimum": 1
            },
            "sensitive_tools": {
              "description": "Shell-style globs of tool names (e.g. \"delete_*\"); every call to a match asks for approval.",
              "type": ["array", "null"],
              "items": { "type": "string", "minLength": 1 }
            },
            "smoke_test": {
              "description": "One read-only tool call nexus makes after a build installs the module (with the user's credentials) to test the integration live; a failure marks the module degraded.",
              "type": ["object", "null"],
              "required": ["tool"],
              "properties": {
                "tool": { "type": "string", "minLength": 1 },
                "arguments": { "type": "object" }
              },
              "additionalProperties": false
            },
            "sha256": {
              "description": "Set by nexus at install: SHA-256 of the approved content (sorted relative paths, kinds and bytes; versions/ and __pycache__ excluded; this key itself ignored). Empty means not set yet. Changed bytes need a new approval.",
              "type": ["string", "null"],
              "pattern": "^([0-9a-f]{64})?$"
            }
          },
          "$defs": {
            "grantPath": { "type": "string", "pattern": "^/", "not": { "pattern": "(^|/)\\.\\.?(/|$)" } },
            "reservedEnv": {
              "description": "Names nexus keeps: they steer the interpreter, the loader, the proxy or nexus itself (checked case-insensitively).",
              "type": "string",
              "anyOf": [
                { "enum": ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "SHELL", "ENV", "BASH_ENV", "IFS", "NODE_OPTIONS", "NODE_PATH", "PERL5LIB", "PERL5OPT", "RUBYLIB", "RUBYOPT", "GCONV_PATH", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"] },
                { "pattern": "^(LD_|PYTHON|NEXUS_|MALLOC_|GLIBC_)" }
              ]
            },
            "identifier": {
              "type": "string",
              "pattern": "^[a-z0-9][a-z0-9_-]{0,47}$",
              "not": { "pattern": "__" }
            },
            "relativePath": {
              "type": ["string", "null"],
              "minLength": 1,
              "not": { "pattern": "^/" }
            }
          }
        }
        """#
}
