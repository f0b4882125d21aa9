# ruff: noqa: E501 — a table of sentences
"""More catalogue entries for `bin/translate-core.py` (fr, sw, zh_Hans), by page: what a buyer
meets on the way from the catalogue to a tracked parcel. A translator's own wording in the .po
file wins over these."""

CATALOG = {
    "Anywhere": {"fr": "Partout", "sw": "Popote", "zh_Hans": "不限"},
    "≈ a price in your currency at today's exchange rate; each shop charges in its own.": {
        "fr": "≈ un prix dans votre devise au taux de change du jour ; chaque boutique facture dans la sienne.",
        "sw": "≈ bei kwa sarafu yako kwa kiwango cha ubadilishaji cha leo; kila duka linatoza kwa sarafu yake.",
        "zh_Hans": "≈ 按今日汇率折算成您所用货币的价格；各店铺以其本币收款。",
    },
    "Choose a country to see the goods that ship there.": {
        "fr": "Choisissez un pays pour voir les produits livrables là-bas.",
        "sw": "Chagua nchi ili uone bidhaa zinazosafirishwa huko.",
        "zh_Hans": "选择一个国家，查看可寄往该国的商品。",
    },
}

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


TRACKING_STATUS = {
    "In transit": {"fr": "En transit", "sw": "Njiani", "zh_Hans": "运输中"},
    "Exception": {"fr": "Incident", "sw": "Tatizo", "zh_Hans": "异常"},
    "Information received": {
        "fr": "Informations reçues",
        "sw": "Taarifa zimepokelewa",
        "zh_Hans": "已收到信息",
    },
    "Picked up": {"fr": "Pris en charge", "sw": "Kimechukuliwa", "zh_Hans": "已揽收"},
    "Arrived at destination": {
        "fr": "Arrivé à destination",
        "sw": "Kimefika kinakoenda",
        "zh_Hans": "已到达目的地",
    },
    "Out for delivery": {"fr": "En cours de livraison", "sw": "Kinapelekwa kwako", "zh_Hans": "派送中"},
    "Ready for pickup": {"fr": "Prêt à être retiré", "sw": "Tayari kuchukuliwa", "zh_Hans": "待取件"},
    "Delivery failed": {
        "fr": "Échec de la livraison",
        "sw": "Usafirishaji umeshindikana",
        "zh_Hans": "派送失败",
    },
    "Rerouted": {"fr": "Réacheminé", "sw": "Kimeelekezwa njia nyingine", "zh_Hans": "已改道"},
    "Returned": {"fr": "Retourné", "sw": "Kimerudishwa", "zh_Hans": "已退回"},
    "Platform": {"fr": "Plateforme", "sw": "Jukwaa", "zh_Hans": "平台"},
    "Simulated e-hub": {"fr": "E-hub simulé", "sw": "E-hub ya majaribio", "zh_Hans": "模拟电子枢纽"},
    "No customs: the parcel stays in one country": {
        "fr": "Pas de douane : le colis reste dans un seul pays",
        "sw": "Hakuna forodha: kifurushi kinabaki ndani ya nchi moja",
        "zh_Hans": "无需清关：包裹不出境",
    },
    "Not yet at customs": {
        "fr": "Pas encore en douane",
        "sw": "Bado hakijafika forodhani",
        "zh_Hans": "尚未到达海关",
    },
    "With customs for import clearance": {
        "fr": "En dédouanement à l'import",
        "sw": "Kiko forodhani kwa ukaguzi wa uingizaji",
        "zh_Hans": "正在进口清关",
    },
    "Held by customs": {"fr": "Retenu en douane", "sw": "Kimezuiliwa forodhani", "zh_Hans": "被海关扣留"},
    "Cleared by customs": {"fr": "Dédouané", "sw": "Kimeruhusiwa na forodha", "zh_Hans": "已清关"},
    "Tracking %(number)s": {
        "fr": "Suivi %(number)s",
        "sw": "Ufuatiliaji %(number)s",
        "zh_Hans": "追踪 %(number)s",
    },
    "Parcel %(number)s": {
        "fr": "Colis %(number)s",
        "sw": "Kifurushi %(number)s",
        "zh_Hans": "包裹 %(number)s",
    },
    "Delivered %(date)s": {
        "fr": "Livré le %(date)s",
        "sw": "Kimefikishwa %(date)s",
        "zh_Hans": "已于 %(date)s 送达",
    },
    "From → to": {"fr": "De → à", "sw": "Kutoka → hadi", "zh_Hans": "从 → 到"},
    "(the parcel's latest hub)": {
        "fr": "(le dernier hub du colis)",
        "sw": "(kituo cha mwisho cha kifurushi)",
        "zh_Hans": "（包裹最近所在的枢纽）",
    },
    "Planned (UTC)": {"fr": "Prévu (UTC)", "sw": "Iliyopangwa (UTC)", "zh_Hans": "计划时间（UTC）"},
    "Done": {"fr": "Effectué", "sw": "Imekamilika", "zh_Hans": "已完成"},
    "on the way": {"fr": "en route", "sw": "njiani", "zh_Hans": "途中"},
    "%(time)s local time (%(zone)s)": {
        "fr": "%(time)s heure locale (%(zone)s)",
        "sw": "%(time)s saa za huko (%(zone)s)",
        "zh_Hans": "当地时间 %(time)s（%(zone)s）",
    },
    "Tracking number not found": {
        "fr": "Numéro de suivi introuvable",
        "sw": "Namba ya ufuatiliaji haikupatikana",
        "zh_Hans": "未找到该追踪号码",
    },
    "No shipment has the tracking number %(number)s. Check it against the one on your order page: "
    "it starts with EW and has 13 characters.": {
        "fr": "Aucun envoi ne porte le numéro de suivi %(number)s. Comparez-le à celui de votre page "
        "de commande : il commence par EW et compte 13 caractères.",
        "sw": "Hakuna mzigo wenye namba ya ufuatiliaji %(number)s. Ilinganishe na ile iliyo kwenye "
        "ukurasa wa agizo lako: inaanza na EW na ina herufi 13.",
        "zh_Hans": "没有追踪号码为 %(number)s 的包裹。请与订单页面上的号码核对：以 EW 开头，共 13 个字符。",
    },
    "Too many lookups": {"fr": "Trop de recherches", "sw": "Utafutaji mwingi mno", "zh_Hans": "查询次数过多"},
    "Tracking": {"fr": "Suivi", "sw": "Ufuatiliaji", "zh_Hans": "追踪"},
    "Arrives %(date)s — today": {
        "fr": "Arrive le %(date)s — aujourd'hui",
        "sw": "Kinafika %(date)s — leo",
        "zh_Hans": "%(date)s 送达——今天",
    },
    "Arrives %(date)s — tomorrow": {
        "fr": "Arrive le %(date)s — demain",
        "sw": "Kinafika %(date)s — kesho",
        "zh_Hans": "%(date)s 送达——明天",
    },
    "%(hours)s h sooner": {
        "fr": "%(hours)s h plus tôt",
        "sw": "saa %(hours)s mapema",
        "zh_Hans": "提前 %(hours)s 小时",
    },
    "%(hours)s h later": {
        "fr": "%(hours)s h plus tard",
        "sw": "saa %(hours)s baadaye",
        "zh_Hans": "晚 %(hours)s 小时",
    },
    "arrives at the same time": {
        "fr": "arrive en même temps",
        "sw": "kinafika wakati mmoja",
        "zh_Hans": "同时送达",
    },
    "%(amount)s less": {
        "fr": "%(amount)s de moins",
        "sw": "%(amount)s pungufu",
        "zh_Hans": "便宜 %(amount)s",
    },
    "%(amount)s more": {"fr": "%(amount)s de plus", "sw": "%(amount)s zaidi", "zh_Hans": "贵 %(amount)s"},
    "same price": {"fr": "même prix", "sw": "bei ileile", "zh_Hans": "价格相同"},
}

CHECKOUT = {
    "Quantity": {"fr": "Quantité", "sw": "Idadi", "zh_Hans": "数量"},
    "Full name": {"fr": "Nom complet", "sw": "Jina kamili", "zh_Hans": "姓名"},
    "Address": {"fr": "Adresse", "sw": "Anwani", "zh_Hans": "地址"},
    "Postal code": {"fr": "Code postal", "sw": "Msimbo wa posta", "zh_Hans": "邮政编码"},
    "Phone": {"fr": "Téléphone", "sw": "Simu", "zh_Hans": "电话"},
    "A phone number such as +32 4 123 45 67.": {
        "fr": "Un numéro de téléphone comme +32 4 123 45 67.",
        "sw": "Namba ya simu kama +32 4 123 45 67.",
        "zh_Hans": "电话号码，例如 +32 4 123 45 67。",
    },
    "Pay in": {"fr": "Payer en", "sw": "Lipa kwa", "zh_Hans": "支付币种"},
    "Card number": {"fr": "Numéro de carte", "sw": "Namba ya kadi", "zh_Hans": "卡号"},
    "VAT": {"fr": "TVA", "sw": "VAT", "zh_Hans": "增值税"},
    "GST": {"fr": "TPS", "sw": "GST", "zh_Hans": "商品及服务税"},
    "sales tax": {"fr": "taxe de vente", "sw": "kodi ya mauzo", "zh_Hans": "销售税"},
    "Duty": {"fr": "Droits de douane", "sw": "Ushuru", "zh_Hans": "关税"},
    "Domestic delivery — no import duty or tax": {
        "fr": "Livraison nationale — ni droits ni taxes à l'import",
        "sw": "Usafirishaji wa ndani — hakuna ushuru wala kodi ya uingizaji",
        "zh_Hans": "境内配送——无进口关税和税费",
    },
    "Below %(threshold)s — no duty": {
        "fr": "Moins de %(threshold)s — pas de droits",
        "sw": "Chini ya %(threshold)s — hakuna ushuru",
        "zh_Hans": "低于 %(threshold)s——免关税",
    },
    "%(threshold)s or less — no duty": {
        "fr": "%(threshold)s ou moins — pas de droits",
        "sw": "%(threshold)s au chini — hakuna ushuru",
        "zh_Hans": "不超过 %(threshold)s——免关税",
    },
    "Under %(threshold)s: flat duty of %(amount)s per tariff subheading (%(count)s in this parcel)": {
        "fr": "Moins de %(threshold)s : droit forfaitaire de %(amount)s par sous-position tarifaire "
        "(%(count)s dans ce colis)",
        "sw": "Chini ya %(threshold)s: ushuru wa kudumu wa %(amount)s kwa kila kifungu cha ushuru "
        "(%(count)s katika kifurushi hiki)",
        "zh_Hans": "低于 %(threshold)s：每个税则子目按 %(amount)s 统一征收关税（本包裹共 %(count)s 个）",
    },
    "%(rate)s import duty on the customs value of %(value)s": {
        "fr": "%(rate)s de droits d'import sur la valeur en douane de %(value)s",
        "sw": "Ushuru wa uingizaji wa %(rate)s kwa thamani ya forodha ya %(value)s",
        "zh_Hans": "按完税价格 %(value)s 征收 %(rate)s 进口关税",
    },
    "Import duty by tariff heading on the customs value of %(value)s": {
        "fr": "Droits d'import par position tarifaire sur la valeur en douane de %(value)s",
        "sw": "Ushuru wa uingizaji kwa kila kichwa cha ushuru kwa thamani ya forodha ya %(value)s",
        "zh_Hans": "按税目对完税价格 %(value)s 征收进口关税",
    },
    "No import VAT or sales tax": {
        "fr": "Ni TVA à l'import ni taxe de vente",
        "sw": "Hakuna VAT ya uingizaji wala kodi ya mauzo",
        "zh_Hans": "无进口增值税或销售税",
    },
    "Below %(threshold)s — no %(tax)s": {
        "fr": "Moins de %(threshold)s — pas de %(tax)s",
        "sw": "Chini ya %(threshold)s — hakuna %(tax)s",
        "zh_Hans": "低于 %(threshold)s——免%(tax)s",
    },
    "%(threshold)s or less — no %(tax)s": {
        "fr": "%(threshold)s ou moins — pas de %(tax)s",
        "sw": "%(threshold)s au chini — hakuna %(tax)s",
        "zh_Hans": "不超过 %(threshold)s——免%(tax)s",
    },
    "%(rate)s %(tax)s collected (low-value goods)": {
        "fr": "%(tax)s de %(rate)s perçue (marchandises de faible valeur)",
        "sw": "%(tax)s ya %(rate)s imekusanywa (bidhaa za thamani ndogo)",
        "zh_Hans": "已代收 %(rate)s %(tax)s（低价值商品）",
    },
    "%(rate)s %(tax)s on the customs value plus duty": {
        "fr": "%(tax)s de %(rate)s sur la valeur en douane plus les droits",
        "sw": "%(tax)s ya %(rate)s kwa thamani ya forodha pamoja na ushuru",
        "zh_Hans": "按完税价格加关税征收 %(rate)s %(tax)s",
    },
    "EU: VAT collected at checkout (IOSS)": {
        "fr": "UE : TVA perçue au paiement (IOSS)",
        "sw": "EU: VAT inakusanywa wakati wa kulipa (IOSS)",
        "zh_Hans": "欧盟：结账时代收增值税（IOSS）",
    },
    "UK: VAT charged at the point of sale": {
        "fr": "Royaume-Uni : TVA facturée au moment de la vente",
        "sw": "Uingereza: VAT inatozwa wakati wa mauzo",
        "zh_Hans": "英国：销售时征收增值税",
    },
    "Brazil: import taxes collected at checkout (Remessa Conforme)": {
        "fr": "Brésil : taxes d'import perçues au paiement (Remessa Conforme)",
        "sw": "Brazili: kodi za uingizaji zinakusanywa wakati wa kulipa (Remessa Conforme)",
        "zh_Hans": "巴西：结账时代收进口税（Remessa Conforme）",
    },
    "China: cross-border e-commerce taxes collected at checkout": {
        "fr": "Chine : taxes du commerce électronique transfrontalier perçues au paiement",
        "sw": "China: kodi za biashara mtandaoni za kuvuka mipaka zinakusanywa wakati wa kulipa",
        "zh_Hans": "中国：结账时代收跨境电商综合税",
    },
    "Duties and taxes paid at checkout (DDP): nothing to pay on delivery": {
        "fr": "Droits et taxes payés à la commande (DDP) : rien à payer à la livraison",
        "sw": "Ushuru na kodi vimelipwa wakati wa kulipa (DDP): hakuna cha kulipa unapopokea",
        "zh_Hans": "关税和税费已在结账时支付（DDP）：收货时无需再付款",
    },
    "“%(title)s” is no longer available: remove it to check out.": {
        "fr": "« %(title)s » n'est plus disponible : retirez-le pour passer commande.",
        "sw": "“%(title)s” haipatikani tena: iondoe ili ulipe.",
        "zh_Hans": "“%(title)s”已下架：请将其移除后再结账。",
    },
    "“%(title)s” is out of stock: remove it to check out.": {
        "fr": "« %(title)s » est en rupture de stock : retirez-le pour passer commande.",
        "sw": "“%(title)s” imeisha: iondoe ili ulipe.",
        "zh_Hans": "“%(title)s”已售罄：请将其移除后再结账。",
    },
    "Only %(stock)d of “%(title)s” left: lower the quantity to check out.": {
        "fr": "Il ne reste que %(stock)d « %(title)s » : réduisez la quantité pour passer commande.",
        "sw": "Zimebaki %(stock)d tu za “%(title)s”: punguza idadi ili ulipe.",
        "zh_Hans": "“%(title)s”仅剩 %(stock)d 件：请减少数量后再结账。",
    },
    "Consignment from %(shop)s (%(country)s)": {
        "fr": "Envoi de %(shop)s (%(country)s)",
        "sw": "Mzigo kutoka %(shop)s (%(country)s)",
        "zh_Hans": "来自 %(shop)s（%(country)s）的包裹",
    },
    "Quantity must be a whole number.": {
        "fr": "La quantité doit être un nombre entier.",
        "sw": "Idadi lazima iwe namba kamili.",
        "zh_Hans": "数量必须是整数。",
    },
    "A whole number.": {"fr": "Un nombre entier.", "sw": "Namba kamili.", "zh_Hans": "请输入整数。"},
    "Quantity must be between 1 and %(max)d.": {
        "fr": "La quantité doit être comprise entre 1 et %(max)d.",
        "sw": "Idadi lazima iwe kati ya 1 na %(max)d.",
        "zh_Hans": "数量必须在 1 到 %(max)d 之间。",
    },
    "“%(title)s” is out of stock.": {
        "fr": "« %(title)s » est en rupture de stock.",
        "sw": "“%(title)s” imeisha.",
        "zh_Hans": "“%(title)s”已售罄。",
    },
    "Only %(stock)d of “%(title)s” left.": {
        "fr": "Il ne reste que %(stock)d « %(title)s ».",
        "sw": "Zimebaki %(stock)d tu za “%(title)s”.",
        "zh_Hans": "“%(title)s”仅剩 %(stock)d 件。",
    },
    "Your cart is empty.": {
        "fr": "Votre panier est vide.",
        "sw": "Kikapu chako hakina kitu.",
        "zh_Hans": "购物车是空的。",
    },
    "Add at least one product.": {
        "fr": "Ajoutez au moins un produit.",
        "sw": "Ongeza angalau bidhaa moja.",
        "zh_Hans": "请至少添加一件商品。",
    },
    "“%(code)s” is not a currency we know.": {
        "fr": "« %(code)s » n'est pas une devise que nous connaissons.",
        "sw": "“%(code)s” si sarafu tunayoijua.",
        "zh_Hans": "我们不支持货币“%(code)s”。",
    },
    "An ISO-4217 code such as EUR.": {
        "fr": "Un code ISO 4217 comme EUR.",
        "sw": "Msimbo wa ISO-4217 kama EUR.",
        "zh_Hans": "ISO 4217 货币代码，例如 EUR。",
    },
    "Choose fastest, cheapest or balanced delivery.": {
        "fr": "Choisissez la livraison la plus rapide, la moins chère ou équilibrée.",
        "sw": "Chagua usafirishaji wa haraka zaidi, wa bei nafuu zaidi au wa wastani.",
        "zh_Hans": "请选择最快、最便宜或均衡的配送方式。",
    },
    "fastest, cheapest or balanced.": {
        "fr": "la plus rapide, la moins chère ou équilibrée.",
        "sw": "wa haraka zaidi, wa bei nafuu zaidi au wa wastani.",
        "zh_Hans": "最快、最便宜或均衡。",
    },
    "Prices cannot be shown in %(code)s today (no exchange rate).": {
        "fr": "Les prix ne peuvent pas être affichés en %(code)s aujourd'hui (pas de taux de change).",
        "sw": "Bei haziwezi kuonyeshwa kwa %(code)s leo (hakuna kiwango cha ubadilishaji).",
        "zh_Hans": "今天无法以 %(code)s 显示价格（没有汇率）。",
    },
    "No exchange rate for this currency.": {
        "fr": "Pas de taux de change pour cette devise.",
        "sw": "Hakuna kiwango cha ubadilishaji kwa sarafu hii.",
        "zh_Hans": "该货币没有汇率。",
    },
    "Delivery is not available right now.": {
        "fr": "La livraison n'est pas disponible pour le moment.",
        "sw": "Usafirishaji haupatikani kwa sasa.",
        "zh_Hans": "目前无法配送。",
    },
    "The e-hub network does not deliver to %(country)s yet.": {
        "fr": "Le réseau d'e-hubs ne livre pas encore en %(country)s.",
        "sw": "Mtandao wa e-hub bado haufikishi %(country)s.",
        "zh_Hans": "电子枢纽网络暂不配送至%(country)s。",
    },
    "%(consignment)s: “%(title)s” cannot be imported into %(country)s (%(reason)s).": {
        "fr": "%(consignment)s : « %(title)s » ne peut pas être importé en %(country)s (%(reason)s).",
        "sw": "%(consignment)s: “%(title)s” haiwezi kuingizwa %(country)s (%(reason)s).",
        "zh_Hans": "%(consignment)s：“%(title)s”不能进口到%(country)s（%(reason)s）。",
    },
    "%(consignment)s: no route through the e-hub network reaches %(country)s.": {
        "fr": "%(consignment)s : aucun itinéraire du réseau d'e-hubs n'atteint %(country)s.",
        "sw": "%(consignment)s: hakuna njia ya mtandao wa e-hub inayofika %(country)s.",
        "zh_Hans": "%(consignment)s：电子枢纽网络没有通往%(country)s的线路。",
    },
    "%(consignment)s: import duty and tax for %(country)s cannot be worked out today.": {
        "fr": "%(consignment)s : les droits et taxes d'import pour %(country)s ne peuvent pas être "
        "calculés aujourd'hui.",
        "sw": "%(consignment)s: ushuru na kodi ya uingizaji kwa %(country)s haviwezi kukokotolewa leo.",
        "zh_Hans": "%(consignment)s：今天无法计算%(country)s的进口关税和税费。",
    },
    "Choose a country from the list.": {
        "fr": "Choisissez un pays dans la liste.",
        "sw": "Chagua nchi kutoka kwenye orodha.",
        "zh_Hans": "请从列表中选择国家。",
    },
    "This product is not available.": {
        "fr": "Ce produit n'est pas disponible.",
        "sw": "Bidhaa hii haipatikani.",
        "zh_Hans": "该商品不可购买。",
    },
    "Not available.": {"fr": "Indisponible.", "sw": "Haipatikani.", "zh_Hans": "不可购买。"},
    "This product is not in your cart.": {
        "fr": "Ce produit n'est pas dans votre panier.",
        "sw": "Bidhaa hii haimo kwenye kikapu chako.",
        "zh_Hans": "该商品不在您的购物车中。",
    },
    "Not in cart.": {"fr": "Pas dans le panier.", "sw": "Haimo kikapuni.", "zh_Hans": "不在购物车中。"},
    "Order %(number)s confirmed": {
        "fr": "Commande %(number)s confirmée",
        "sw": "Agizo %(number)s limethibitishwa",
        "zh_Hans": "订单 %(number)s 已确认",
    },
    "Choose a quantity from 1 to 999.": {
        "fr": "Choisissez une quantité entre 1 et 999.",
        "sw": "Chagua idadi kati ya 1 na 999.",
        "zh_Hans": "请选择 1 到 999 之间的数量。",
    },
    "Added to your cart: %(title)s (%(quantity)d in the cart).": {
        "fr": "Ajouté à votre panier : %(title)s (%(quantity)d dans le panier).",
        "sw": "Imeongezwa kwenye kikapu chako: %(title)s (%(quantity)d kikapuni).",
        "zh_Hans": "已加入购物车：%(title)s（购物车中共 %(quantity)d 件）。",
    },
    "Removed from your cart.": {
        "fr": "Retiré de votre panier.",
        "sw": "Imeondolewa kwenye kikapu chako.",
        "zh_Hans": "已从购物车移除。",
    },
    "Your cart is updated.": {
        "fr": "Votre panier est à jour.",
        "sw": "Kikapu chako kimesasishwa.",
        "zh_Hans": "购物车已更新。",
    },
    "Your cart is empty: add goods before checking out.": {
        "fr": "Votre panier est vide : ajoutez des produits avant de passer commande.",
        "sw": "Kikapu chako hakina kitu: ongeza bidhaa kabla ya kulipa.",
        "zh_Hans": "购物车是空的：请先添加商品再结账。",
    },
    "The price changed with your choices. Check the new total, then place the order.": {
        "fr": "Le prix a changé avec vos choix. Vérifiez le nouveau total, puis passez la commande.",
        "sw": "Bei imebadilika kutokana na machaguo yako. Angalia jumla mpya, kisha weka agizo.",
        "zh_Hans": "价格已随您的选择而变化。请核对新的总价，然后下单。",
    },
    "This checkout form was already used. Check “My orders” before ordering again.": {
        "fr": "Ce formulaire de commande a déjà été utilisé. Consultez « Mes commandes » avant de "
        "commander à nouveau.",
        "sw": "Fomu hii ya malipo imeshatumika. Angalia “Maagizo yangu” kabla ya kuagiza tena.",
        "zh_Hans": "此结账表单已被使用。再次下单前请先查看“我的订单”。",
    },
    "Order %(number)s is placed. Pay now to send it on its way.": {
        "fr": "La commande %(number)s est passée. Payez maintenant pour qu'elle soit expédiée.",
        "sw": "Agizo %(number)s limewekwa. Lipa sasa ili lianze safari.",
        "zh_Hans": "订单 %(number)s 已提交。立即付款即可发货。",
    },
    "No such order.": {
        "fr": "Commande introuvable.",
        "sw": "Hakuna agizo kama hilo.",
        "zh_Hans": "没有这个订单。",
    },
    "Order %(number)s is not awaiting payment.": {
        "fr": "La commande %(number)s n'attend pas de paiement.",
        "sw": "Agizo %(number)s halisubiri malipo.",
        "zh_Hans": "订单 %(number)s 不在待付款状态。",
    },
    "Order %(number)s can no longer be cancelled.": {
        "fr": "La commande %(number)s ne peut plus être annulée.",
        "sw": "Agizo %(number)s haliwezi kughairiwa tena.",
        "zh_Hans": "订单 %(number)s 已无法取消。",
    },
    "Order %(number)s is cancelled.": {
        "fr": "La commande %(number)s est annulée.",
        "sw": "Agizo %(number)s limeghairiwa.",
        "zh_Hans": "订单 %(number)s 已取消。",
    },
    "The e-hub network does not deliver to %(country)s yet. Choose a country it serves under “Deliver to”.": {
        "fr": "Le réseau d'e-hubs ne livre pas encore en %(country)s. Choisissez un pays desservi sous "
        "« Livrer à ».",
        "sw": "Mtandao wa e-hub bado haufikishi %(country)s. Chagua nchi inayohudumiwa chini ya “Peleka kwa”.",
        "zh_Hans": "电子枢纽网络暂不配送至%(country)s。请在“配送至”中选择可配送的国家。",
    },
    "See the countries we deliver to": {
        "fr": "Voir les pays où nous livrons",
        "sw": "Tazama nchi tunazofikisha",
        "zh_Hans": "查看可配送的国家",
    },
    "Ship to": {"fr": "Livrer à", "sw": "Peleka kwa", "zh_Hans": "收货地址"},
    "Estimated delivery": {"fr": "Livraison estimée", "sw": "Makadirio ya kufika", "zh_Hans": "预计送达"},
}

PAGES = {
    "Add to cart": {"fr": "Ajouter au panier", "sw": "Weka kikapuni", "zh_Hans": "加入购物车"},
    "Estimated landed cost to %(country)s": {
        "fr": "Coût total estimé jusqu'en %(country)s",
        "sw": "Makadirio ya gharama kamili hadi %(country)s",
        "zh_Hans": "运至%(country)s的预计到岸总价",
    },
    "Estimated landed cost: goods + shipping + duty + tax, for one unit with the cheapest delivery.": {
        "fr": "Coût total estimé : produit + livraison + droits + taxes, pour une unité avec la "
        "livraison la moins chère.",
        "sw": "Makadirio ya gharama kamili: bidhaa + usafirishaji + ushuru + kodi, kwa kipande kimoja "
        "na usafirishaji wa bei nafuu zaidi.",
        "zh_Hans": "预计到岸总价：商品 + 运费 + 关税 + 税费，按一件商品和最便宜的配送方式计算。",
    },
    "Goods": {"fr": "Produits", "sw": "Bidhaa", "zh_Hans": "商品"},
    "Shipping": {"fr": "Livraison", "sw": "Usafirishaji", "zh_Hans": "运费"},
    "Tax": {"fr": "Taxes", "sw": "Kodi", "zh_Hans": "税费"},
    "Rates of %(date)s. The exact figure is shown at checkout before you pay.": {
        "fr": "Taux du %(date)s. Le montant exact est affiché à la commande, avant de payer.",
        "sw": "Viwango vya %(date)s. Kiasi kamili kinaonyeshwa wakati wa kulipa, kabla hujalipa.",
        "zh_Hans": "汇率日期：%(date)s。确切金额将在结账付款前显示。",
    },
    "Item": {"fr": "Article", "sw": "Bidhaa", "zh_Hans": "商品"},
    "Qty": {"fr": "Qté", "sw": "Idadi", "zh_Hans": "数量"},
    "Amount": {"fr": "Montant", "sw": "Kiasi", "zh_Hans": "金额"},
    "estimated delivery %(date)s": {
        "fr": "livraison estimée le %(date)s",
        "sw": "makadirio ya kufika %(date)s",
        "zh_Hans": "预计 %(date)s 送达",
    },
    "Import duty": {"fr": "Droits d'import", "sw": "Ushuru wa uingizaji", "zh_Hans": "进口关税"},
    "Import tax": {"fr": "Taxe à l'import", "sw": "Kodi ya uingizaji", "zh_Hans": "进口税"},
    "Total": {"fr": "Total", "sw": "Jumla", "zh_Hans": "合计"},
    "Choose…": {"fr": "Choisir…", "sw": "Chagua…", "zh_Hans": "请选择…"},
    "Set": {"fr": "Valider", "sw": "Weka", "zh_Hans": "确定"},
    "Parcel from %(shop)s (%(country)s)": {
        "fr": "Colis de %(shop)s (%(country)s)",
        "sw": "Kifurushi kutoka %(shop)s (%(country)s)",
        "zh_Hans": "来自 %(shop)s（%(country)s）的包裹",
    },
    "follow the parcel hub by hub": {
        "fr": "suivez le colis de hub en hub",
        "sw": "fuatilia kifurushi kituo kwa kituo",
        "zh_Hans": "逐个枢纽追踪包裹",
    },
    "Duties and taxes paid": {
        "fr": "Droits et taxes payés",
        "sw": "Ushuru na kodi vimelipwa",
        "zh_Hans": "关税和税费已付",
    },
    "Order total": {"fr": "Total de la commande", "sw": "Jumla ya agizo", "zh_Hans": "订单总额"},
    "Rates of %(date)s": {
        "fr": "Taux du %(date)s",
        "sw": "Viwango vya %(date)s",
        "zh_Hans": "汇率日期：%(date)s",
    },
    "Rates of %(date)s.": {
        "fr": "Taux du %(date)s.",
        "sw": "Viwango vya %(date)s.",
        "zh_Hans": "汇率日期：%(date)s。",
    },
    "Order %(number)s": {"fr": "Commande %(number)s", "sw": "Agizo %(number)s", "zh_Hans": "订单 %(number)s"},
    "Your cart": {"fr": "Votre panier", "sw": "Kikapu chako", "zh_Hans": "您的购物车"},
    "Each shop ships its own parcel: shipping, import duty and tax are worked out per parcel at checkout.": {
        "fr": "Chaque boutique expédie son propre colis : livraison, droits et taxes à l'import sont "
        "calculés par colis à la commande.",
        "sw": "Kila duka linatuma kifurushi chake: usafirishaji, ushuru na kodi ya uingizaji "
        "vinakokotolewa kwa kila kifurushi wakati wa kulipa.",
        "zh_Hans": "每家店铺单独发货：运费、进口关税和税费在结账时按包裹分别计算。",
    },
    "each": {"fr": "l'unité", "sw": "kila moja", "zh_Hans": "每件"},
    "Quantity of %(title)s": {
        "fr": "Quantité de %(title)s",
        "sw": "Idadi ya %(title)s",
        "zh_Hans": "%(title)s 的数量",
    },
    "Update": {"fr": "Mettre à jour", "sw": "Sasisha", "zh_Hans": "更新"},
    "no exchange rate": {
        "fr": "pas de taux de change",
        "sw": "hakuna kiwango cha ubadilishaji",
        "zh_Hans": "无汇率",
    },
    "Shipping, import duty and tax are added at checkout, where you see every figure before you pay.": {
        "fr": "La livraison, les droits et les taxes à l'import s'ajoutent à la commande, où vous voyez "
        "chaque montant avant de payer.",
        "sw": "Usafirishaji, ushuru na kodi ya uingizaji vinaongezwa wakati wa kulipa, ambapo unaona "
        "kila kiasi kabla ya kulipa.",
        "zh_Hans": "运费、进口关税和税费在结账时加入，付款前您可以看到每一项金额。",
    },
    "Check out": {"fr": "Passer commande", "sw": "Endelea kulipa", "zh_Hans": "去结账"},
    "Fix the lines marked above first.": {
        "fr": "Corrigez d'abord les lignes signalées ci-dessus.",
        "sw": "Rekebisha kwanza mistari iliyowekwa alama hapo juu.",
        "zh_Hans": "请先修正上方标出的项目。",
    },
    "Browse goods from small businesses worldwide": {
        "fr": "Parcourir les produits de petites entreprises du monde entier",
        "sw": "Tazama bidhaa za biashara ndogo duniani kote",
        "zh_Hans": "浏览来自全球小企业的商品",
    },
    "Checkout": {"fr": "Commande", "sw": "Malipo", "zh_Hans": "结账"},
    "Where and how": {"fr": "Où et comment", "sw": "Wapi na vipi", "zh_Hans": "配送地址与方式"},
    "Update the price": {"fr": "Mettre à jour le prix", "sw": "Sasisha bei", "zh_Hans": "更新价格"},
    "What arrives at your door": {
        "fr": "Ce qui arrive à votre porte",
        "sw": "Kinachofika mlangoni kwako",
        "zh_Hans": "送到您家门口的商品",
    },
    "Duties and taxes are paid at checkout (DDP): nothing more to pay on delivery.": {
        "fr": "Les droits et taxes sont payés à la commande (DDP) : rien de plus à payer à la livraison.",
        "sw": "Ushuru na kodi hulipwa wakati wa kulipa (DDP): hakuna cha ziada cha kulipa unapopokea.",
        "zh_Hans": "关税和税费在结账时支付（DDP）：收货时无需再付任何费用。",
    },
    "Place order": {"fr": "Passer la commande", "sw": "Weka agizo", "zh_Hans": "提交订单"},
    "You pay on the next page. Stock is held for you for %(minutes)s minutes.": {
        "fr": "Vous payez à la page suivante. Le stock vous est réservé pendant %(minutes)s minutes.",
        "sw": "Utalipa kwenye ukurasa unaofuata. Bidhaa zimehifadhiwa kwa ajili yako kwa dakika %(minutes)s.",
        "zh_Hans": "下一页付款。库存为您保留 %(minutes)s 分钟。",
    },
    "We cannot price this cart as it is: see the message above the form.": {
        "fr": "Nous ne pouvons pas chiffrer ce panier en l'état : voyez le message au-dessus du formulaire.",
        "sw": "Hatuwezi kukokotoa bei ya kikapu hiki kilivyo: angalia ujumbe ulio juu ya fomu.",
        "zh_Hans": "无法按当前购物车计算价格：请查看表单上方的提示。",
    },
    "Choose where to deliver": {
        "fr": "Choisissez où livrer",
        "sw": "Chagua mahali pa kupeleka",
        "zh_Hans": "选择配送地点",
    },
    "← Back to your cart": {
        "fr": "← Retour au panier",
        "sw": "← Rudi kwenye kikapu",
        "zh_Hans": "← 返回购物车",
    },
    "Thank you: your order is paid": {
        "fr": "Merci : votre commande est payée",
        "sw": "Asante: agizo lako limelipwa",
        "zh_Hans": "谢谢：您的订单已付款",
    },
    "Order %(number)s is paid (%(total)s). Each shop now prepares its parcel.": {
        "fr": "La commande %(number)s est payée (%(total)s). Chaque boutique prépare maintenant son colis.",
        "sw": "Agizo %(number)s limelipwa (%(total)s). Kila duka sasa linaandaa kifurushi chake.",
        "zh_Hans": "订单 %(number)s 已付款（%(total)s）。各店铺正在准备包裹。",
    },
    "Parcel from %(shop)s: estimated delivery %(date)s": {
        "fr": "Colis de %(shop)s : livraison estimée le %(date)s",
        "sw": "Kifurushi kutoka %(shop)s: makadirio ya kufika %(date)s",
        "zh_Hans": "来自 %(shop)s 的包裹：预计 %(date)s 送达",
    },
    "On its way to %(name)s, %(city)s, %(country)s.": {
        "fr": "En route vers %(name)s, %(city)s, %(country)s.",
        "sw": "Kiko njiani kwenda kwa %(name)s, %(city)s, %(country)s.",
        "zh_Hans": "正在送往 %(name)s，%(city)s，%(country)s。",
    },
    "See the order": {"fr": "Voir la commande", "sw": "Tazama agizo", "zh_Hans": "查看订单"},
    "Where should we deliver?": {
        "fr": "Où devons-nous livrer ?",
        "sw": "Tupeleke wapi?",
        "zh_Hans": "我们应配送到哪里？",
    },
    "Goods are delivered to: %(country)s.": {
        "fr": "Les produits sont livrés en : %(country)s.",
        "sw": "Bidhaa zinapelekwa: %(country)s.",
        "zh_Hans": "商品配送至：%(country)s。",
    },
    "Countries the e-hub network delivers to": {
        "fr": "Pays desservis par le réseau d'e-hubs",
        "sw": "Nchi ambazo mtandao wa e-hub unafikisha",
        "zh_Hans": "电子枢纽网络可配送的国家",
    },
    "Deliver here": {"fr": "Livrer ici", "sw": "Peleka hapa", "zh_Hans": "配送到这里"},
    "Cancel order %(number)s": {
        "fr": "Annuler la commande %(number)s",
        "sw": "Ghairi agizo %(number)s",
        "zh_Hans": "取消订单 %(number)s",
    },
    "Cancel order %(number)s?": {
        "fr": "Annuler la commande %(number)s ?",
        "sw": "Ughairi agizo %(number)s?",
        "zh_Hans": "要取消订单 %(number)s 吗？",
    },
    "The goods go back on sale and %(total)s is refunded.": {
        "fr": "Les produits sont remis en vente et %(total)s vous est remboursé.",
        "sw": "Bidhaa zinarudi sokoni na %(total)s inarejeshwa.",
        "zh_Hans": "商品将重新上架，%(total)s 将退还给您。",
    },
    "The goods go back on sale; nothing has been charged.": {
        "fr": "Les produits sont remis en vente ; rien n'a été débité.",
        "sw": "Bidhaa zinarudi sokoni; hakuna kilichotozwa.",
        "zh_Hans": "商品将重新上架；未产生任何扣款。",
    },
    "Yes, cancel the order": {
        "fr": "Oui, annuler la commande",
        "sw": "Ndiyo, ghairi agizo",
        "zh_Hans": "是的，取消订单",
    },
    "No, keep it": {"fr": "Non, la garder", "sw": "Hapana, libaki", "zh_Hans": "不，保留订单"},
    "Placed %(date)s (UTC)": {
        "fr": "Passée le %(date)s (UTC)",
        "sw": "Liliwekwa %(date)s (UTC)",
        "zh_Hans": "下单时间 %(date)s（UTC）",
    },
    "to %(name)s, %(city)s, %(country)s": {
        "fr": "pour %(name)s, %(city)s, %(country)s",
        "sw": "kwa %(name)s, %(city)s, %(country)s",
        "zh_Hans": "寄往 %(name)s，%(city)s，%(country)s",
    },
    "Pay now": {"fr": "Payer maintenant", "sw": "Lipa sasa", "zh_Hans": "立即付款"},
    "Cancel order": {"fr": "Annuler la commande", "sw": "Ghairi agizo", "zh_Hans": "取消订单"},
    "Parcel from %(shop)s": {
        "fr": "Colis de %(shop)s",
        "sw": "Kifurushi kutoka %(shop)s",
        "zh_Hans": "来自 %(shop)s 的包裹",
    },
    "History": {"fr": "Historique", "sw": "Historia", "zh_Hans": "历史记录"},
    "parcel from %(shop)s": {
        "fr": "colis de %(shop)s",
        "sw": "kifurushi kutoka %(shop)s",
        "zh_Hans": "来自 %(shop)s 的包裹",
    },
    "← My orders": {"fr": "← Mes commandes", "sw": "← Maagizo yangu", "zh_Hans": "← 我的订单"},
    "Placed %(date)s": {
        "fr": "Passée le %(date)s",
        "sw": "Liliwekwa %(date)s",
        "zh_Hans": "下单时间 %(date)s",
    },
    "You have not ordered anything yet.": {
        "fr": "Vous n'avez encore rien commandé.",
        "sw": "Bado hujaagiza chochote.",
        "zh_Hans": "您还没有下过订单。",
    },
    "Pay order %(number)s": {
        "fr": "Payer la commande %(number)s",
        "sw": "Lipia agizo %(number)s",
        "zh_Hans": "支付订单 %(number)s",
    },
    "SANDBOX — no real money moves.": {
        "fr": "BAC À SABLE — aucun argent réel n'est débité.",
        "sw": "MAJARIBIO — hakuna pesa halisi inayohamishwa.",
        "zh_Hans": "沙盒环境——不会产生真实扣款。",
    },
    "This is a test payment page. Use one of these test cards:": {
        "fr": "Ceci est une page de paiement de test. Utilisez l'une de ces cartes de test :",
        "sw": "Huu ni ukurasa wa malipo ya majaribio. Tumia mojawapo ya kadi hizi za majaribio:",
        "zh_Hans": "这是测试付款页面。请使用以下测试卡之一：",
    },
    "payment succeeds": {"fr": "le paiement réussit", "sw": "malipo yanafanikiwa", "zh_Hans": "付款成功"},
    "card is declined": {"fr": "la carte est refusée", "sw": "kadi inakataliwa", "zh_Hans": "卡被拒绝"},
    "To pay:": {"fr": "À payer :", "sw": "Kiasi cha kulipa:", "zh_Hans": "应付金额："},
    "Pay by %(time)s (UTC), or the order expires and its stock is released.": {
        "fr": "Payez avant %(time)s (UTC), sinon la commande expire et son stock est libéré.",
        "sw": "Lipa kabla ya %(time)s (UTC), la sivyo agizo litaisha muda na bidhaa zake zitaachiliwa.",
        "zh_Hans": "请在 %(time)s（UTC）前付款，否则订单将过期，库存将被释放。",
    },
    "Pay %(total)s": {"fr": "Payer %(total)s", "sw": "Lipa %(total)s", "zh_Hans": "支付 %(total)s"},
    "Goods and shipping from": {
        "fr": "Produit et livraison à partir de",
        "sw": "Bidhaa na usafirishaji kuanzia",
        "zh_Hans": "商品及运费起价",
    },
    "(import duty and tax not included)": {
        "fr": "(droits et taxes à l'import non compris)",
        "sw": "(ushuru na kodi ya uingizaji havijajumuishwa)",
        "zh_Hans": "（不含进口关税和税费）",
    },
    "Choose where to deliver (“Deliver to”, at the top of the page) to see the delivery estimate and shipping cost.": {
        "fr": "Choisissez où livrer (« Livrer à », en haut de la page) pour voir l'estimation de livraison "
        "et les frais de port.",
        "sw": "Chagua mahali pa kupeleka (“Peleka kwa”, juu ya ukurasa) ili kuona makadirio ya kufika na "
        "gharama ya usafirishaji.",
        "zh_Hans": "请选择配送地点（页面顶部的“配送至”），即可查看预计送达时间和运费。",
    },
}

PLURALS = {
    "%(n)s item in your cart": {
        "fr": ["%(n)s article dans votre panier", "%(n)s articles dans votre panier"],
        "sw": ["Bidhaa %(n)s kwenye kikapu chako", "Bidhaa %(n)s kwenye kikapu chako"],
        "zh_Hans": ["购物车中有 %(n)s 件商品"],
    },
    "Arrives %(date)s — in %(days)s day": {
        "fr": ["Arrive le %(date)s — dans %(days)s jour", "Arrive le %(date)s — dans %(days)s jours"],
        "sw": ["Kinafika %(date)s — baada ya siku %(days)s", "Kinafika %(date)s — baada ya siku %(days)s"],
        "zh_Hans": ["%(date)s 送达——%(days)s 天后"],
    },
    "%(days)s day sooner": {
        "fr": ["%(days)s jour plus tôt", "%(days)s jours plus tôt"],
        "sw": ["siku %(days)s mapema", "siku %(days)s mapema"],
        "zh_Hans": ["提前 %(days)s 天"],
    },
    "%(days)s day later": {
        "fr": ["%(days)s jour plus tard", "%(days)s jours plus tard"],
        "sw": ["siku %(days)s baadaye", "siku %(days)s baadaye"],
        "zh_Hans": ["晚 %(days)s 天"],
    },
    "%(legs)s leg": {
        "fr": ["%(legs)s étape", "%(legs)s étapes"],
        "sw": ["hatua %(legs)s", "hatua %(legs)s"],
        "zh_Hans": ["%(legs)s 段行程"],
    },
    "Too many unknown tracking numbers were looked up from your address. Please try again in %(seconds)s second.": {
        "fr": [
            "Trop de numéros de suivi inconnus ont été recherchés depuis votre adresse. Réessayez dans %(seconds)s seconde.",
            "Trop de numéros de suivi inconnus ont été recherchés depuis votre adresse. Réessayez dans %(seconds)s secondes.",
        ],
        "sw": [
            "Namba nyingi mno za ufuatiliaji zisizojulikana zimetafutwa kutoka anwani yako. Tafadhali jaribu tena baada ya sekunde %(seconds)s.",
            "Namba nyingi mno za ufuatiliaji zisizojulikana zimetafutwa kutoka anwani yako. Tafadhali jaribu tena baada ya sekunde %(seconds)s.",
        ],
        "zh_Hans": ["您的地址查询了过多不存在的追踪号码。请在 %(seconds)s 秒后重试。"],
    },
    "Goods (%(n)s item)": {
        "fr": ["Produits (%(n)s article)", "Produits (%(n)s articles)"],
        "sw": ["Bidhaa (kipande %(n)s)", "Bidhaa (vipande %(n)s)"],
        "zh_Hans": ["商品（%(n)s 件）"],
    },
    "%(n)s parcel": {
        "fr": ["%(n)s colis", "%(n)s colis"],
        "sw": ["kifurushi %(n)s", "vifurushi %(n)s"],
        "zh_Hans": ["%(n)s 个包裹"],
    },
}

STATUSES = {
    "Created": {"fr": "Créé", "sw": "Imeundwa", "zh_Hans": "已创建"},
    "Routing": {"fr": "Calcul de l'itinéraire", "sw": "Njia inapangwa", "zh_Hans": "规划路线中"},
    "Routed": {"fr": "Itinéraire établi", "sw": "Njia imepangwa", "zh_Hans": "路线已规划"},
    "Cancelled": {"fr": "Annulé", "sw": "Imeghairiwa", "zh_Hans": "已取消"},
    "No e-hub serves the origin country": {
        "fr": "Aucun e-hub ne dessert le pays d'origine",
        "sw": "Hakuna e-hub inayohudumia nchi ya asili",
        "zh_Hans": "没有电子枢纽服务发货国",
    },
    "No e-hub serves the destination": {
        "fr": "Aucun e-hub ne dessert la destination",
        "sw": "Hakuna e-hub inayohudumia nchi inakokwenda",
        "zh_Hans": "没有电子枢纽服务目的地",
    },
    "Origin hubs suspended": {
        "fr": "Hubs d'origine suspendus",
        "sw": "Vituo vya asili vimesimamishwa",
        "zh_Hans": "始发枢纽已暂停",
    },
    "Destination hubs suspended": {
        "fr": "Hubs de destination suspendus",
        "sw": "Vituo vya mwisho vimesimamishwa",
        "zh_Hans": "目的地枢纽已暂停",
    },
    "No path through the network": {
        "fr": "Aucun chemin à travers le réseau",
        "sw": "Hakuna njia kupitia mtandao",
        "zh_Hans": "网络中没有可行路线",
    },
    "Every departure is full": {
        "fr": "Tous les départs sont complets",
        "sw": "Safari zote zimejaa",
        "zh_Hans": "所有班次均已满",
    },
    "Awaiting payment": {"fr": "En attente de paiement", "sw": "Inasubiri malipo", "zh_Hans": "待付款"},
    "Paid": {"fr": "Payée", "sw": "Imelipwa", "zh_Hans": "已付款"},
    "In fulfilment": {"fr": "En préparation", "sw": "Inashughulikiwa", "zh_Hans": "履约中"},
    "Completed": {"fr": "Terminée", "sw": "Imekamilika", "zh_Hans": "已完成"},
    "Expired": {"fr": "Expirée", "sw": "Muda umeisha", "zh_Hans": "已过期"},
    "Ready to ship": {"fr": "Prêt à expédier", "sw": "Tayari kutumwa", "zh_Hans": "待发货"},
    "Handed over": {"fr": "Remis au transporteur", "sw": "Kimekabidhiwa", "zh_Hans": "已交运"},
    "Pending": {"fr": "En attente", "sw": "Inasubiri", "zh_Hans": "处理中"},
    "Succeeded": {"fr": "Réussi", "sw": "Imefanikiwa", "zh_Hans": "成功"},
    "Declined": {"fr": "Refusé", "sw": "Imekataliwa", "zh_Hans": "被拒绝"},
    "Failed": {"fr": "Échoué", "sw": "Imeshindikana", "zh_Hans": "失败"},
    "Refunded": {"fr": "Remboursé", "sw": "Imerejeshwa", "zh_Hans": "已退款"},
}

SELLER = {
    "No such consignment.": {
        "fr": "Envoi introuvable.",
        "sw": "Hakuna mzigo kama huo.",
        "zh_Hans": "没有这个包裹。",
    },
    "Consignment of order %(number)s is handed over to the courier: tracking number %(tracking)s, on its way to %(hub)s.": {
        "fr": "L'envoi de la commande %(number)s est remis au transporteur : numéro de suivi %(tracking)s, en route vers %(hub)s.",
        "sw": "Mzigo wa agizo %(number)s umekabidhiwa kwa msafirishaji: namba ya ufuatiliaji %(tracking)s, unaelekea %(hub)s.",
        "zh_Hans": "订单 %(number)s 的包裹已交给快递：追踪号码 %(tracking)s，正在运往%(hub)s。",
    },
    "Map of the e-hub network": {
        "fr": "Carte du réseau d'e-hubs",
        "sw": "Ramani ya mtandao wa e-hub",
        "zh_Hans": "电子枢纽网络地图",
    },
    "Placed %(date)s · to %(city)s, %(country)s": {
        "fr": "Passée le %(date)s · pour %(city)s, %(country)s",
        "sw": "Liliwekwa %(date)s · kwenda %(city)s, %(country)s",
        "zh_Hans": "下单时间 %(date)s · 寄往 %(city)s，%(country)s",
    },
    "This parcel cannot be routed: %(reason)s": {
        "fr": "Aucun itinéraire possible pour ce colis : %(reason)s",
        "sw": "Kifurushi hiki hakiwezi kupangiwa njia: %(reason)s",
        "zh_Hans": "无法为此包裹规划路线：%(reason)s",
    },
    "Drop off at: %(city)s e-hub (%(code)s)": {
        "fr": "À déposer à l'e-hub de %(city)s (%(code)s)",
        "sw": "Peleka kwenye e-hub ya %(city)s (%(code)s)",
        "zh_Hans": "交寄地点：%(city)s 电子枢纽（%(code)s）",
    },
    "Route being planned: you can hand the parcel over once it shows its drop-off hub.": {
        "fr": "Itinéraire en cours de calcul : vous pourrez remettre le colis dès que son hub de dépôt s'affiche.",
        "sw": "Njia inapangwa: utaweza kukabidhi kifurushi mara kituo cha kukipeleka kitakapoonekana.",
        "zh_Hans": "正在规划路线：显示交寄枢纽后即可交运包裹。",
    },
    "Consignment of order %(number)s": {
        "fr": "Envoi de la commande %(number)s",
        "sw": "Mzigo wa agizo %(number)s",
        "zh_Hans": "订单 %(number)s 的包裹",
    },
    "Your price": {"fr": "Votre prix", "sw": "Bei yako", "zh_Hans": "您的价格"},
    "Goods (buyer's currency)": {
        "fr": "Produits (devise de l'acheteur)",
        "sw": "Bidhaa (sarafu ya mnunuzi)",
        "zh_Hans": "商品（买家币种）",
    },
    "Parcel": {"fr": "Colis", "sw": "Kifurushi", "zh_Hans": "包裹"},
    "← Incoming consignments": {
        "fr": "← Envois à préparer",
        "sw": "← Mizigo inayoingia",
        "zh_Hans": "← 待处理包裹",
    },
    "Incoming consignments": {"fr": "Envois à préparer", "sw": "Mizigo inayoingia", "zh_Hans": "待处理包裹"},
    "Every status": {"fr": "Tous les statuts", "sw": "Hali zote", "zh_Hans": "全部状态"},
    "Show": {"fr": "Afficher", "sw": "Onyesha", "zh_Hans": "显示"},
    "No consignments yet: they appear here once a buyer has paid.": {
        "fr": "Aucun envoi pour l'instant : ils apparaissent ici dès qu'un acheteur a payé.",
        "sw": "Bado hakuna mizigo: itaonekana hapa mara mnunuzi atakapolipa.",
        "zh_Hans": "暂无包裹：买家付款后会显示在这里。",
    },
    "← Seller home": {"fr": "← Accueil vendeur", "sw": "← Ukurasa wa muuzaji", "zh_Hans": "← 卖家首页"},
    "Paid by the buyer: pack each parcel and hand it to the first-mile courier, then mark it handed over.": {
        "fr": "Payés par l'acheteur : emballez chaque colis, remettez-le au coursier du premier kilomètre, puis marquez-le comme remis.",
        "sw": "Yamelipwa na mnunuzi: funga kila kifurushi na ukikabidhi kwa msafirishaji wa hatua ya kwanza, kisha kiwekee alama kuwa kimekabidhiwa.",
        "zh_Hans": "买家已付款：请打包每个包裹并交给揽收快递，然后标记为已交运。",
    },
    "See all parcels to ship": {
        "fr": "Voir tous les colis à expédier",
        "sw": "Tazama vifurushi vyote vya kutuma",
        "zh_Hans": "查看所有待发包裹",
    },
    "Nothing to ship right now.": {
        "fr": "Rien à expédier pour le moment.",
        "sw": "Hakuna cha kutuma kwa sasa.",
        "zh_Hans": "目前没有待发货的包裹。",
    },
    "Your money": {"fr": "Votre argent", "sw": "Pesa zako", "zh_Hans": "您的收入"},
    "Held until delivery": {
        "fr": "Retenu jusqu'à la livraison",
        "sw": "Zimeshikiliwa hadi kifurushi kifike",
        "zh_Hans": "送达前暂存",
    },
    "Released to you": {"fr": "Versé à vous", "sw": "Zimetolewa kwako", "zh_Hans": "已结算给您"},
    "Buyers' payments are held in escrow and released to you, less the platform commission, when each parcel is delivered.": {
        "fr": "Les paiements des acheteurs sont placés sous séquestre et vous sont versés, moins la commission de la plateforme, à la livraison de chaque colis.",
        "sw": "Malipo ya wanunuzi yanashikiliwa kwa dhamana na kutolewa kwako, ukiondoa kamisheni ya jukwaa, kila kifurushi kinapofika.",
        "zh_Hans": "买家的付款由平台托管，每个包裹送达后扣除平台佣金结算给您。",
    },
    "No payments yet.": {
        "fr": "Aucun paiement pour l'instant.",
        "sw": "Bado hakuna malipo.",
        "zh_Hans": "暂无付款。",
    },
    "All incoming consignments": {
        "fr": "Tous les envois à préparer",
        "sw": "Mizigo yote inayoingia",
        "zh_Hans": "全部待处理包裹",
    },
    "Delivery estimate and shipping cost will appear here once the e-hub logistics network is connected.": {
        "fr": "L'estimation de livraison et les frais de port s'afficheront ici une fois le réseau logistique d'e-hubs connecté.",
        "sw": "Makadirio ya kufika na gharama ya usafirishaji yataonekana hapa mtandao wa e-hub utakapounganishwa.",
        "zh_Hans": "电子枢纽物流网络接入后，这里将显示预计送达时间和运费。",
    },
}

MORE_PLURALS = {
    "%(done)s of %(total)s leg done": {
        "fr": ["%(done)s étape sur %(total)s effectuée", "%(done)s étapes sur %(total)s effectuées"],
        "sw": [
            "hatua %(done)s kati ya %(total)s imekamilika",
            "hatua %(done)s kati ya %(total)s zimekamilika",
        ],
        "zh_Hans": ["已完成 %(done)s/%(total)s 段行程"],
    },
    "%(n)s parcel to ship": {
        "fr": ["%(n)s colis à expédier", "%(n)s colis à expédier"],
        "sw": ["kifurushi %(n)s cha kutuma", "vifurushi %(n)s vya kutuma"],
        "zh_Hans": ["%(n)s 个包裹待发货"],
    },
}

PROMISE = {
    "Delivery by": {"fr": "Livraison d'ici le", "sw": "Kufikishwa kabla ya", "zh_Hans": "送达日期不晚于"},
    "delivery by %(date)s": {"fr": "livraison d'ici le %(date)s", "sw": "kufikishwa kabla ya %(date)s", "zh_Hans": "%(date)s 前送达"},
    "Parcel from %(shop)s: delivery by %(date)s": {
        "fr": "Colis de %(shop)s : livraison d'ici le %(date)s",
        "sw": "Kifurushi kutoka %(shop)s: kufikishwa kabla ya %(date)s",
        "zh_Hans": "来自 %(shop)s 的包裹：%(date)s 前送达",
    },
    "Delivery to %(country)s by %(date)s": {
        "fr": "Livraison d'ici le %(date)s — %(country)s",
        "sw": "Kufikishwa %(country)s kabla ya %(date)s",
        "zh_Hans": "%(date)s 前送达%(country)s",
    },
    "Route planned: %(route)s.": {"fr": "Itinéraire planifié : %(route)s.", "sw": "Njia imepangwa: %(route)s.", "zh_Hans": "已规划路线：%(route)s。"},
    "promised delivery": {"fr": "livraison promise", "sw": "tarehe ya kufikisha iliyoahidiwa", "zh_Hans": "承诺送达时间"},
}

from translations_customs import ENTRIES as CUSTOMS_WORDS  # noqa: E402
from translations_house import ENTRIES as HOUSE  # noqa: E402
from translations_house import PLURAL_ROWS  # noqa: E402
from translations_sellers import ENTRIES as SELLERS  # noqa: E402
from translations_sellers import PLURAL_ROWS as SELLER_PLURALS  # noqa: E402

ENTRIES = {**HOUSE, **SELLERS, **CUSTOMS_WORDS, **PROMISE, **CATALOG, **TRACKING, **TRACKING_STATUS, **CHECKOUT, **PAGES, **STATUSES, **SELLER}
PLURALS = {**PLURALS, **MORE_PLURALS, **PLURAL_ROWS, **SELLER_PLURALS}
