"""axe-core in the browser tests: inject the vendored engine (vendor/axe-core) into a page and
return the violations of impact "serious" or "critical", WCAG 2.x A and AA rules."""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """One line per serious or critical violation: rule, impact, and the first few targets."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # add_script_tag would be refused by the page's CSP; evaluate runs in the page as is.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate("() => window.axe.version") == AXE_VERSION
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
