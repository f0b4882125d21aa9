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
}


def main(root: Path) -> None:
    for lang in ("fr", "sw", "zh_Hans"):
        po = root / "locale" / lang / "LC_MESSAGES" / "django.po"
        text = po.read_text()
        for msgid, tr in CORE.items():
            pattern = re.compile('(msgid "' + re.escape(msgid) + '"\nmsgstr )""')
            text = pattern.sub(lambda m, t=tr[lang]: m.group(1) + '"' + t.replace('"', '\\"') + '"', text)
        po.write_text(text)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
