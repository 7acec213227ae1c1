"""Does Microsoft Defender let Office start programs? The attack-surface-reduction (ASR) rule "Block all Office
applications from creating child processes" (D4F940AB-401B-4EFC-AADC-AD5F3C50688A), read from the registry.

Every button of the classic add-in starts Python through `cmd.exe` (xlwings' RunPython); in block mode this rule
stops that with run-time error 70, and only xlwings Lite (docs/lite.md), which runs Python inside Excel, works.

The rule's state is a string value named after the rule's GUID: "0" off, "1" block, "2" audit, "5" not
configured, "6" warn (the user may allow it once). It is read from where Windows keeps it, first match wins:

* group policy: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Windows Defender Exploit Guard\\ASR\\Rules;
* Intune / MDM: the `ASRRules` value of HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Policy Manager,
  "GUID=state|GUID=state";
* set locally (Set-MpPreference): HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Windows Defender Exploit Guard\\ASR\\Rules
  (Defender may refuse an ordinary user this key; then it is reported as not readable).

Only those places are read: Defender configured another way (Configuration Manager, Defender for Endpoint's own
security settings) may not show there; `Get-MpPreference` in PowerShell is the authoritative view (docs/install.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

RULE_ID = "D4F940AB-401B-4EFC-AADC-AD5F3C50688A"
RULE_NAME = "Block all Office applications from creating child processes"
STATES = {"0": "off", "1": "block", "2": "audit", "5": "not configured", "6": "warn"}

_EXPLOIT_GUARD = r"Windows Defender\Windows Defender Exploit Guard\ASR\Rules"
GROUP_POLICY = ("group policy", rf"SOFTWARE\Policies\Microsoft\{_EXPLOIT_GUARD}")
MDM = ("Intune / MDM policy", r"SOFTWARE\Policies\Microsoft\Windows Defender\Policy Manager")
LOCAL = ("local Defender setting", rf"SOFTWARE\Microsoft\{_EXPLOIT_GUARD}")

# read(key under HKEY_LOCAL_MACHINE, value name) -> the value as text, None when absent; PermissionError if refused
RegistryReader = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class RuleState:
    state: str          # "block", "warn", "audit", "off", "not configured", or "unknown" (nothing readable)
    source: str         # where it was found ("group policy", ...) or ""
    unreadable: list[str]  # places that could not be read (access refused)


def windows_registry_reader(key: str, name: str) -> str | None:
    """Read one value under HKEY_LOCAL_MACHINE (64-bit view) with winreg. Windows only."""
    import winreg

    try:
        access = winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0)
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key, 0, access) as handle:
            value, _kind = winreg.QueryValueEx(handle, name)
    except FileNotFoundError:
        return None
    return None if value is None else str(value)


def _mdm_state(text: str | None) -> str | None:
    """The rule's state in an `ASRRules` value, "GUID=state|GUID=state" (GUIDs in any case, braces or not)."""
    for pair in (text or "").split("|"):
        guid, _, state = pair.partition("=")
        if guid.strip().strip("{}").upper() == RULE_ID:
            return state.strip()
    return None


def office_child_process_rule(read: RegistryReader = windows_registry_reader) -> RuleState:
    """The state of the rule, from the first place that sets it (module docstring); never raises for access."""
    unreadable = []
    for label, key in (GROUP_POLICY, MDM, LOCAL):
        try:
            raw = _mdm_state(read(key, "ASRRules")) if (label, key) == MDM else read(key, RULE_ID)
        except OSError:  # PermissionError and the like: this place cannot be read by this user
            unreadable.append(f"{label} (HKLM\\{key})")
            continue
        if raw is not None and raw.strip():
            return RuleState(STATES.get(raw.strip(), f"unknown value {raw.strip()!r}"), label, unreadable)
    return RuleState("unknown" if unreadable else "not configured", "", unreadable)
