"""More catalogue entries for `bin/translate-core.py` (fr, sw, zh_Hans), by page: what a buyer
meets on the way from the catalogue to a tracked parcel. A translator's own wording in the .po
file wins over these."""

TRACKING = {
    "Track a parcel": {"fr": "Suivre un colis", "sw": "Fuatilia kifurushi", "zh_Hans": "追踪包裹"},
    "Track": {"fr": "Suivre", "sw": "Fuatilia", "zh_Hans": "追踪"},
    "Enter the tracking number from your order page or e-mail: it starts with EW and has 13 characters.": {
        "fr": "Saisissez le numéro de suivi indiqué sur votre page de commande ou dans l'e-mail : "
        "il commence par EW et compte 13 caractères.",
        "sw": "Andika namba ya ufuatiliaji iliyo kwenye ukurasa wa agizo lako au barua pepe: "
        "inaanza na EW na ina herufi 13.",
        "zh_Hans": "请输入订单页面或电子邮件中的追踪号码：以 EW 开头，共 13 个字符。",
    },
}

ENTRIES = {**TRACKING}
