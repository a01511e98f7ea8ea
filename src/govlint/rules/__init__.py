"""Rule modules. Each module registers its rules with ``govlint.registry.rule``;
``govlint.registry.RULE_MODULES`` lists them explicitly."""
