"""Write the Group Policy templates from the settings registry: ``python3 installer/gpo/make_admx.py``.

One policy per key of ``wfh_client.config.SETTINGS`` (so a new key cannot be forgotten:
``tests/installer/test_gpo.py`` fails when the committed files differ from what this writes):
``WFHClient.admx`` plus ``en-US/WFHClient.adml`` and ``vi-VN/WFHClient.adml``. Values go to
``HKLM\\SOFTWARE\\Policies\\MotCua\\WFHClient`` under the key's own name: REG_SZ for text and
numbers with a fraction, REG_DWORD for whole numbers and flags - what ``wfh_client.policy``
reads. Copy the files to ``\\\\<domain>\\SYSVOL\\<domain>\\Policies\\PolicyDefinitions``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from wfh_client.config import SETTINGS, Setting  # noqa: E402
from wfh_client.policy import REGISTRY_KEY  # noqa: E402

HERE = Path(__file__).resolve().parent
NAMESPACE = "MotCua.Policies.WFHClient"

VI = {
    "server_url": ("Địa chỉ máy chủ một cửa", "Địa chỉ URL của máy chủ API một cửa (https://...)."),
    "ca_bundle": ("Tệp chứng chỉ CA bổ sung", "Đường dẫn tệp PEM các CA được tin cậy thêm."),
    "sync_interval_seconds": ("Chu kỳ đồng bộ (giây)", "Số giây giữa hai lần đồng bộ nền."),
    "prefetch_max_bytes": ("Tải trước tài liệu tối đa (byte)",
                           "Tài liệu không lớn hơn mức này được tải trước để làm việc khi mất mạng."),
    "allow_plaintext_cache": ("Cho phép bộ nhớ đệm không mã hóa",
                              "Chỉ bật khi máy không có kho khóa; không khuyến nghị."),
    "language": ("Ngôn ngữ giao diện", "vi hoặc en."),
    "request_timeout_seconds": ("Thời gian chờ mỗi yêu cầu (giây)",
                                "Thời gian chờ đọc của mỗi yêu cầu HTTP."),
    "update_mode": ("Chế độ cập nhật",
                    "managed: CNTT triển khai bản cập nhật; notify: ứng dụng báo phiên bản mới."),
    "support_contact": ("Liên hệ hỗ trợ CNTT",
                        "Hiển thị trong Giới thiệu, thông báo cập nhật và hộp thoại lỗi."),
    "place_name": ("Địa danh trên phiếu in",
                   "Địa danh ghi trước ngày tháng trên các phiếu in (ví dụ: Mỹ Tho)."),
}


def element(spec: Setting) -> str:
    key = spec.key
    if spec.type is bool:
        return ""  # a boolean policy is the policy's own enabled/disabled value
    if spec.choices:
        items = "".join(
            f'<item displayName="$(string.{key}_{c})"><value><string>{c}</string></value></item>'
            for c in spec.choices)
        return f'<enum id="{key}" valueName="{key}" required="true">{items}</enum>'
    if spec.type is int:
        low = int(spec.minimum or 0)
        high = int(spec.maximum) if spec.maximum is not None else 4294967295
        return (f'<decimal id="{key}" valueName="{key}" required="true" minValue="{low}" '
                f'maxValue="{min(high, 4294967295)}"/>')
    return f'<text id="{key}" valueName="{key}" required="true"/>'


def admx() -> str:
    policies = []
    for spec in SETTINGS:
        extra = ""
        if spec.type is bool:
            extra = ('<enabledValue><decimal value="1"/></enabledValue>'
                     '<disabledValue><decimal value="0"/></disabledValue>')
        body = element(spec)
        elements = f"<elements>{body}</elements>" if body else ""
        presentation = f' presentation="$(presentation.{spec.key})"' if body else ""
        value_name = f' valueName="{spec.key}"' if spec.type is bool else ""
        policies.append(
            f'    <policy name="{spec.key}" class="Machine" displayName="$(string.{spec.key})" '
            f'explainText="$(string.{spec.key}_help)" key="{REGISTRY_KEY}"{value_name}'
            f'{presentation}>\n      <parentCategory ref="WFHClient"/>\n'
            f'      <supportedOn ref="SUPPORTED_WFH"/>\n      {extra}{elements}\n    </policy>')
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" '
        'schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">\n'
        f'  <policyNamespaces>\n    <target prefix="wfh" namespace="{NAMESPACE}"/>\n'
        '    <using prefix="windows" namespace="Microsoft.Policies.Windows"/>\n'
        '  </policyNamespaces>\n  <resources minRequiredRevision="1.0"/>\n'
        '  <supportedOn>\n    <definitions>\n'
        '      <definition name="SUPPORTED_WFH" displayName="$(string.SUPPORTED_WFH)"/>\n'
        '    </definitions>\n  </supportedOn>\n'
        '  <categories>\n    <category name="WFHClient" displayName="$(string.WFHClient)"/>\n'
        '  </categories>\n  <policies>\n' + "\n".join(policies) + "\n  </policies>\n"
        "</policyDefinitions>\n")


def adml(language: str) -> str:
    strings = [("WFHClient", "WFH Client" if language == "en-US" else "Ứng dụng làm việc tại nhà"),
               ("SUPPORTED_WFH", "WFH Client 0.1 and later" if language == "en-US"
                else "WFH Client 0.1 trở lên")]
    presentations = []
    for spec in SETTINGS:
        if language == "vi-VN":
            title, help_text = VI[spec.key]
        else:
            title, help_text = spec.key.replace("_", " ").capitalize(), spec.description
        help_text += (f"\n\nRegistry: HKLM\\{REGISTRY_KEY}\\{spec.key}; "
                      f"policy.json: \"{spec.key}\".")
        strings += [(spec.key, title), (f"{spec.key}_help", help_text)]
        for choice in spec.choices or ():
            strings.append((f"{spec.key}_{choice}", choice))
        body = element(spec)
        if not body:
            continue
        if spec.choices:
            control = f'<dropdownList refId="{spec.key}" noSort="true">{escape(title)}</dropdownList>'
        elif spec.type is int:
            control = f'<decimalTextBox refId="{spec.key}">{escape(title)}</decimalTextBox>'
        else:
            control = (f'<textBox refId="{spec.key}"><label>{escape(title)}</label></textBox>')
        presentations.append(f'      <presentation id="{spec.key}">{control}</presentation>')
    string_xml = "\n".join(f'      <string id="{i}">{escape(t)}</string>' for i, t in strings)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" '
        'schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">\n'
        "  <displayName>WFH Client</displayName>\n  <description>WFH Client</description>\n"
        f"  <resources>\n    <stringTable>\n{string_xml}\n    </stringTable>\n"
        f"    <presentationTable>\n" + "\n".join(presentations) +
        "\n    </presentationTable>\n  </resources>\n</policyDefinitionResources>\n")


def render() -> dict[Path, str]:
    return {HERE / "WFHClient.admx": admx(), HERE / "en-US" / "WFHClient.adml": adml("en-US"),
            HERE / "vi-VN" / "WFHClient.adml": adml("vi-VN")}


def main() -> int:
    for path, text in render().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
