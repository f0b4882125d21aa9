"""Fill the core navigation strings of the fr / sw / zh_Hans catalogues (kept in the repo so
`make messages` can re-apply them after makemessages). Full translation is ongoing work."""

import re
import sys
from pathlib import Path

CORE = {
    "Log in": {"fr": "Se connecter", "sw": "Ingia", "zh_Hans": "登录"},
    "Sign up": {"fr": "S'inscrire", "sw": "Jisajili", "zh_Hans": "注册"},
    "My listings": {"fr": "Mes annonces", "sw": "Bidhaa zangu", "zh_Hans": "我的商品"},
    "My shop": {"fr": "Ma boutique", "sw": "Duka langu", "zh_Hans": "我的店铺"},
    "Admin": {"fr": "Administration", "sw": "Utawala", "zh_Hans": "管理"},
    "Language": {"fr": "Langue", "sw": "Lugha", "zh_Hans": "语言"},
    "Change": {"fr": "Changer", "sw": "Badilisha", "zh_Hans": "切换"},
    "Save": {"fr": "Enregistrer", "sw": "Hifadhi", "zh_Hans": "保存"},
    "Cancel": {"fr": "Annuler", "sw": "Ghairi", "zh_Hans": "取消"},
    "Delete": {"fr": "Supprimer", "sw": "Futa", "zh_Hans": "删除"},
    "Edit": {"fr": "Modifier", "sw": "Hariri", "zh_Hans": "编辑"},
    "Publish": {"fr": "Publier", "sw": "Chapisha", "zh_Hans": "上架"},
    "Unpublish": {"fr": "Retirer", "sw": "Ondoa", "zh_Hans": "下架"},
    "Published": {"fr": "Publiée", "sw": "Imechapishwa", "zh_Hans": "已上架"},
    "Unpublished": {"fr": "Retirée", "sw": "Haijachapishwa", "zh_Hans": "已下架"},
    "Title": {"fr": "Titre", "sw": "Jina", "zh_Hans": "标题"},
    "Price": {"fr": "Prix", "sw": "Bei", "zh_Hans": "价格"},
    "Stock": {"fr": "Stock", "sw": "Akiba", "zh_Hans": "库存"},
    "Status": {"fr": "Statut", "sw": "Hali", "zh_Hans": "状态"},
    "Category": {"fr": "Catégorie", "sw": "Aina", "zh_Hans": "类别"},
    "Actions": {"fr": "Actions", "sw": "Vitendo", "zh_Hans": "操作"},
    "List new goods": {"fr": "Mettre en vente", "sw": "Orodhesha bidhaa mpya", "zh_Hans": "发布新商品"},
    "Goods from small businesses worldwide": {
        "fr": "Des produits de petites entreprises du monde entier",
        "sw": "Bidhaa kutoka biashara ndogo duniani kote",
        "zh_Hans": "来自全球小企业的商品",
    },
    "Buyer": {"fr": "Acheteur", "sw": "Mnunuzi", "zh_Hans": "买家"},
    "Seller": {"fr": "Vendeur", "sw": "Muuzaji", "zh_Hans": "卖家"},
    "Operator": {"fr": "Opérateur", "sw": "Mwendeshaji", "zh_Hans": "运营方"},
    "English": {"fr": "Anglais", "sw": "Kiingereza", "zh_Hans": "英语"},
    "French": {"fr": "Français", "sw": "Kifaransa", "zh_Hans": "法语"},
    "Swahili": {"fr": "Swahili", "sw": "Kiswahili", "zh_Hans": "斯瓦希里语"},
    "Simplified Chinese": {
        "fr": "Chinois simplifié",
        "sw": "Kichina (kilichorahisishwa)",
        "zh_Hans": "简体中文",
    },
    "Show goods for every destination": {
        "fr": "Afficher les produits pour toutes les destinations",
        "sw": "Onyesha bidhaa kwa nchi zote",
        "zh_Hans": "显示发往所有目的地的商品",
    },
    "Only goods that ship to my country (%(name)s)": {
        "fr": "Seulement les produits livrables dans mon pays (%(name)s)",
        "sw": "Bidhaa zinazosafirishwa hadi nchi yangu pekee (%(name)s)",
        "zh_Hans": "仅显示可寄往我所在国家（%(name)s）的商品",
    },
    "My account": {"fr": "Mon compte", "sw": "Akaunti yangu", "zh_Hans": "我的账户"},
    "Your account is saved.": {
        "fr": "Votre compte est enregistré.",
        "sw": "Akaunti yako imehifadhiwa.",
        "zh_Hans": "您的账户已保存。",
    },
    "Show prices in": {"fr": "Afficher les prix en", "sw": "Onyesha bei kwa", "zh_Hans": "价格显示币种"},
    "My country's currency": {
        "fr": "La devise de mon pays",
        "sw": "Sarafu ya nchi yangu",
        "zh_Hans": "我所在国家的货币",
    },
    "Delivery estimates and “ships to my country” use it.": {
        "fr": "Utilisé pour les délais estimés et « livrable dans mon pays ».",
        "sw": "Hutumika kwa makadirio ya kufikishwa na “husafirishwa hadi nchi yangu”.",
        "zh_Hans": "用于预计送达时间和“可寄往我所在国家”筛选。",
    },
    "Email address": {"fr": "Adresse e-mail", "sw": "Anwani ya barua pepe", "zh_Hans": "电子邮件地址"},
    "Signed in as %(name)s (%(role)s).": {
        "fr": "Connecté en tant que %(name)s (%(role)s).",
        "sw": "Umeingia kama %(name)s (%(role)s).",
        "zh_Hans": "当前登录：%(name)s（%(role)s）。",
    },
    "Change your password": {
        "fr": "Changer de mot de passe",
        "sw": "Badilisha nenosiri lako",
        "zh_Hans": "修改密码",
    },
    "Not found.": {"fr": "Introuvable.", "sw": "Haikupatikana.", "zh_Hans": "未找到。"},
    "Invalid token.": {"fr": "Jeton invalide.", "sw": "Tokeni si sahihi.", "zh_Hans": "令牌无效。"},
    "“%(name)s…”: the file name is too long; rename the file.": {
        "fr": "« %(name)s… » : le nom du fichier est trop long ; renommez le fichier.",
        "sw": "“%(name)s…”: jina la faili ni refu mno; badilisha jina la faili.",
        "zh_Hans": "“%(name)s…”：文件名过长，请重命名该文件。",
    },
    # Parcels and the order-era header (issues 9 and 10).
    "My orders": {"fr": "Mes commandes", "sw": "Oda zangu", "zh_Hans": "我的订单"},
    "Seller home": {"fr": "Accueil vendeur", "sw": "Nyumbani kwa muuzaji", "zh_Hans": "卖家首页"},
    "Cart": {"fr": "Panier", "sw": "Kikapu", "zh_Hans": "购物车"},
    "Deliver to": {"fr": "Livrer à", "sw": "Peleka kwa", "zh_Hans": "配送至"},
    "Track it": {"fr": "Suivre le colis", "sw": "Fuatilia kifurushi", "zh_Hans": "跟踪包裹"},
    "Tracking number": {"fr": "Numéro de suivi", "sw": "Namba ya ufuatiliaji", "zh_Hans": "运单号"},
    "Late": {"fr": "En retard", "sw": "Imechelewa", "zh_Hans": "延误"},
    "late": {"fr": "en retard", "sw": "imechelewa", "zh_Hans": "延误"},
    "on time": {"fr": "à l'heure", "sw": "kwa wakati", "zh_Hans": "准时"},
    "Customs": {"fr": "Douane", "sw": "Forodha", "zh_Hans": "海关"},
    "Promised": {"fr": "Promis", "sw": "Iliyoahidiwa", "zh_Hans": "承诺送达"},
    "Route": {"fr": "Itinéraire", "sw": "Njia", "zh_Hans": "路线"},
    "Events": {"fr": "Événements", "sw": "Matukio", "zh_Hans": "物流事件"},
    "Legs": {"fr": "Étapes", "sw": "Hatua za safari", "zh_Hans": "运输段"},
    "Your door": {"fr": "Votre porte", "sw": "Mlangoni kwako", "zh_Hans": "您的门口"},
    "Delivered": {"fr": "Livré", "sw": "Imefikishwa", "zh_Hans": "已送达"},
    "Expected now": {"fr": "Prévu maintenant", "sw": "Inatarajiwa sasa", "zh_Hans": "当前预计"},
    "Arrival date not known yet": {
        "fr": "Date d'arrivée pas encore connue",
        "sw": "Tarehe ya kufika bado haijulikani",
        "zh_Hans": "到达日期尚未确定",
    },
    "Mark handed over": {
        "fr": "Marquer comme remis",
        "sw": "Weka alama imekabidhiwa",
        "zh_Hans": "标记为已交寄",
    },
}


# The pages' entries, kept in their own module (bin/translations.py), join the core ones.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations import ENTRIES, PLURALS  # noqa: E402

CORE = {**ENTRIES, **CORE}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def translate_block(block: str, lang: str) -> str:
    """Fill (or correct a fuzzy guess of) one catalogue entry whose msgid is in CORE."""
    lines = block.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("msgstr ")]
    ids = [i for i, line in enumerate(lines) if line.startswith("msgid ")]
    if ids and "msgid_plural" in block:
        return translate_plural(lines, lang)
    if not ids or not starts:
        return block
    # A long msgid is wrapped over several lines: `msgid ""` then one quoted piece a line.
    pieces = lines[ids[0] : starts[0]]
    msgid = "".join(line.split('"', 1)[1].rsplit('"', 1)[0] for line in pieces if '"' in line)
    msgid = msgid.replace('\\"', '"').replace("\\n", "\n")
    if msgid not in CORE:
        return block
    head, tail = lines[: starts[0]], lines[starts[0] :]
    translated = "".join(line.split('"', 1)[1].rsplit('"', 1)[0] for line in tail if '"' in line) != ""
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in head)
    if translated and not fuzzy:
        return block  # a translator's own wording wins
    head = [line for line in head if not line.startswith("#|")]
    head = [re.sub(r"\bfuzzy,?\s*", "", line) if line.startswith("#,") else line for line in head]
    head = [line.rstrip(", ") for line in head if line.rstrip(", ") not in ("#", "#,")]
    return "\n".join([*head, "msgstr " + _quote(CORE[msgid][lang])])


def translate_plural(lines: list[str], lang: str) -> str:
    """Fill an untranslated (or fuzzy) plural entry whose msgid is in PLURALS: one msgstr[i] per
    plural form of the language (fr and sw two, zh_Hans one)."""
    first = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
    plural = next(i for i, line in enumerate(lines) if line.startswith("msgid_plural "))
    forms = next(i for i, line in enumerate(lines) if line.startswith("msgstr["))
    msgid = "".join(line.split('"', 1)[1].rsplit('"', 1)[0] for line in lines[first:plural] if '"' in line)
    msgid = msgid.replace('\\"', '"')
    block = "\n".join(lines)
    if msgid not in PLURALS:
        return block
    head = lines[:forms]
    translated = any(
        line.split('"', 1)[1].rsplit('"', 1)[0] for line in lines[forms:] if '"' in line
    )
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in head[:first])
    if translated and not fuzzy:
        return block
    head = [line for line in head if not line.startswith("#|")]
    head = [re.sub(r"\bfuzzy,?\s*", "", line) if line.startswith("#,") else line for line in head]
    head = [line.rstrip(", ") for line in head if line.rstrip(", ") not in ("#", "#,")]
    texts = PLURALS[msgid][lang]
    return "\n".join([*head, *(f"msgstr[{index}] " + _quote(text) for index, text in enumerate(texts))])


def main(root: Path) -> None:
    for lang in ("fr", "sw", "zh_Hans"):
        po = root / "locale" / lang / "LC_MESSAGES" / "django.po"
        blocks = po.read_text().split("\n\n")
        po.write_text("\n\n".join(translate_block(block, lang) for block in blocks))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
