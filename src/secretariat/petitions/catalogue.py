"""Petition categories (陳情類別) and the personal-data notice, kept as data.

Each category is one Open311 service (``service_code`` = ``code``, ``group`` and
``keywords`` as in GeoReport v2). Routing stays the router's decision (and the engine's
suggester's); a category never routes by itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "petition",
        "人民陳情（一般）",
        "向市長提出的陳情、建議或申訴，無法歸入其他類別者。",
        "一般",
        ("陳情", "建議", "市長信箱"),
    ),
    Category(
        "urban-development",
        "都市計畫、建築與住宅",
        "都市計畫、建築管理、違章建築、社會住宅與公寓大廈管理。",
        "都市發展",
        ("都市計畫", "違建", "建築", "社會住宅"),
    ),
    Category(
        "public-safety",
        "治安與交通違規",
        "治安、噪音擾鄰、違規停車與交通違規的取締。",
        "治安交通",
        ("治安", "違規停車", "噪音", "警察"),
    ),
    Category(
        "roads",
        "道路、人行道與路燈",
        "路面坑洞、人行道、路燈、公園與水溝等公共工程。",
        "公共工程",
        ("道路", "坑洞", "人行道", "路燈", "公園"),
    ),
    Category(
        "transport",
        "大眾運輸與停車",
        "公車、捷運接駁、停車場、號誌與交通規劃。",
        "治安交通",
        ("公車", "停車場", "號誌", "交通"),
    ),
    Category(
        "environment",
        "環境衛生與清潔",
        "垃圾清運、資源回收、環境髒亂與空氣、水污染。",
        "環境",
        ("垃圾", "回收", "髒亂", "污染"),
    ),
    Category(
        "welfare",
        "社會福利",
        "長者、身心障礙、兒少與弱勢家庭的福利與補助。",
        "福利",
        ("社福", "補助", "長照", "身心障礙"),
    ),
    Category(
        "education",
        "教育與學校",
        "學校、幼兒園、課後照顧與終身學習。",
        "教育",
        ("學校", "幼兒園", "教育"),
    ),
)

CATEGORY_BY_CODE = {category.code: category for category in CATEGORIES}
DEFAULT_CATEGORY = "petition"

# 個人資料保護法第8條的告知事項：web form and Open311 both show it and ask for consent.
PRIVACY_NOTICE = (
    "臺北市政府秘書處為受理及處理您的陳情案件，依個人資料保護法第8條規定告知下列事項："
    "一、蒐集目的：人民陳情案件之受理、分辦、回復及滿意度調查。"
    "二、個人資料類別：姓名、電子郵件、電話、地址及陳情內容所含之個人資料。"
    "三、利用期間、地區、對象及方式：於陳情案件處理及檔案保存年限內，"
    "由本府及受分辦之機關於中華民國境內以書面或電子方式利用。"
    "四、您得依個人資料保護法第3條規定，向本處請求查詢、閱覽、製給複製本、補充或更正、"
    "停止蒐集處理利用或刪除您的個人資料。"
    "五、您可自由選擇是否提供個人資料；若不提供或提供不完整，本府將無法受理或回復您的陳情。"
    "六、公開資訊：本府以開放資料（Open311）公開每件陳情的案件編號、陳情類別、辦理狀態、"
    "承辦機關，以及受理、最後異動與預計回復的時間；陳情主旨及問題發生地點（地址及經緯度）"
    "僅於您另行同意公開時公開。您的姓名、電子郵件、電話、通訊地址、陳情內容及附件一律不公開；"
    "列為密件的案件全部不公開。"
)
CONSENT_LABEL = "我已閱讀並同意上述個人資料蒐集、處理及利用告知事項。"
CONSENT_REQUIRED = "請勾選同意個人資料蒐集、處理及利用告知事項，才能送出陳情。"

# 公開同意: asked apart from the 個資 consent, optional; without it the subject and the place
# stay out of the public feed (docs/petitions.md, "Open311").
PUBLICATION_NOTICE = (
    "您可以選擇公開本案的陳情主旨及問題發生地點（地址及經緯度），讓其他市民在開放資料"
    "（Open311）中看到同一地點已有人反映。不同意也會受理及回復，只是這兩項不公開。"
    "您的姓名、聯絡方式、陳情內容及附件無論如何都不公開。"
)
PUBLICATION_LABEL = "我同意在開放資料公開本案的陳情主旨及問題發生地點（地址及經緯度）。"
