"""Vocabulary for the sandbox's demo catalogue: realistic Russian product names.

Each kind of goods carries its own nouns, brands, specifications and price band,
so a generated name reads like a real Ozon listing («Чайник электрический Bosch
1.7 л, белый») and its price is plausible for it. Colours are appended after a
comma («…, цвет черный»), which sidesteps Russian gender agreement.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of goods: how its names are built and where its prices lie."""

    phrases: tuple[str, ...]
    brands: tuple[str, ...]
    specs: tuple[str, ...]
    # Ozon's category tree: description_category_id / type_id (plausible values).
    description_category_id: int
    type_id: int
    # Price band in whole roubles; prices are drawn log-uniformly inside it.
    price_min: int
    price_max: int
    # Volume weight in kg (Ozon's `volume_weight`), a band as well.
    weight_min: float
    weight_max: float
    coloured: bool = True


# A table reads best one kind per entry.
# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind(("Чайник электрический", "Электрочайник стеклянный"), ("Bosch", "Tefal", "Polaris", "Redmond", "Xiaomi", "Kitfort"),
         ("1.7 л", "1.5 л", "2 л", "1.8 л, 2200 Вт"), 17028922, 92264, 900, 8_000, 1.2, 2.5),
    Kind(("Кроссовки беговые", "Кроссовки мужские", "Кроссовки женские"), ("Nike", "Adidas", "Puma", "ASICS", "Demix", "Li-Ning"),
         ("р. 38", "р. 40", "р. 42", "р. 44", "р. 41"), 17027495, 93110, 2_500, 16_000, 0.9, 1.6),
    # Phone cases name the phone model where other goods name a brand.
    Kind(("Чехол для", "Чехол-книжка для"), ("Samsung Galaxy A54", "iPhone 15", "Xiaomi Redmi Note 13", "Honor X8", "iPhone 13"),
         ("силиконовый", "противоударный", "прозрачный", "с MagSafe"), 17028741, 91540, 150, 1_500, 0.1, 0.2),
    Kind(("Телевизор LED", "Телевизор Smart TV"), ("Samsung", "LG", "Haier", "TCL", "Hisense", "Sber"),
         ('43"', '50"', '55"', '65" 4K UHD'), 17028951, 92110, 18_000, 50_000, 9.0, 24.0),
    Kind(("Пылесос беспроводной", "Робот-пылесос", "Пылесос вертикальный"), ("Dreame", "Xiaomi", "Tefal", "Philips", "Kitfort"),
         ("с влажной уборкой", "400 Вт", "с контейнером 0.6 л", "для шерсти"), 17028955, 92403, 4_500, 45_000, 3.0, 7.5),
    Kind(("Футболка хлопковая", "Футболка оверсайз"), ("Gloria Jeans", "Befree", "Zarina", "O'Stin", "Lacoste"),
         ("р. S", "р. M", "р. L", "р. XL"), 17027494, 93244, 350, 3_500, 0.2, 0.4),
    Kind(("Наушники беспроводные", "Наушники TWS", "Наушники накладные"), ("JBL", "Sony", "Huawei", "Marshall", "Honor"),
         ("Bluetooth 5.3", "с шумоподавлением", "с микрофоном"), 17028760, 91953, 1_200, 35_000, 0.2, 0.6),
    Kind(("Шампунь для волос", "Бальзам для волос"), ("Pantene", "Schauma", "L'Oreal Paris", "Head & Shoulders", "Natura Siberica"),
         ("400 мл", "250 мл", "1 л", "600 мл"), 17027904, 94001, 180, 1_200, 0.3, 1.1, coloured=False),
    Kind(("Сковорода антипригарная", "Сковорода чугунная", "Сотейник с крышкой"), ("Tefal", "Нева Металл Посуда", "Rondell", "Kukmara"),
         ("24 см", "26 см", "28 см"), 17028917, 92560, 700, 6_500, 0.9, 3.2),
    Kind(("Смартфон",), ("Samsung Galaxy A35", "Xiaomi Redmi 13", "Tecno Spark 20", "realme C67", "POCO X6"),
         ("8/256 ГБ", "6/128 ГБ", "12/512 ГБ"), 17028767, 91980, 9_000, 49_990, 0.4, 0.7),
    Kind(("Кофе в зернах", "Кофе молотый"), ("Lavazza", "Jacobs", "Paulig", "Живой кофе", "Egoiste"),
         ("1 кг", "250 г", "500 г"), 17028640, 94520, 300, 3_800, 0.3, 1.2, coloured=False),
    Kind(("Конструктор",), ("LEGO Classic", "LEGO City", "Lego Technic", "SLUBAN", "Mould King"),
         ("500 деталей", "1200 деталей", "220 деталей"), 17027944, 93755, 900, 22_000, 0.4, 2.5, coloured=False),
    Kind(("Рюкзак городской", "Рюкзак школьный"), ("Tigernu", "Xiaomi", "Samsonite", "Grizzly", "Bange"),
         ("20 л", "25 л", "с отделением для ноутбука"), 17027497, 93330, 1_100, 12_000, 0.6, 1.4),
    Kind(("Кресло компьютерное", "Кресло игровое"), ("Бюрократ", "Chairman", "Zombie", "ThunderX3", "Everprof"),
         ("сетка", "экокожа", "ткань"), 17028630, 95002, 6_000, 42_000, 12.0, 22.0),
    Kind(("Корм для кошек сухой", "Корм для собак сухой"), ("Purina ONE", "Royal Canin", "Whiskas", "Pro Plan", "Monge"),
         ("1.5 кг", "3 кг", "10 кг", "400 г"), 17028500, 96110, 250, 9_500, 0.5, 10.5, coloured=False),
    Kind(("Утюг с паром", "Парогенератор"), ("Philips", "Tefal", "Braun", "Polaris"),
         ("2400 Вт", "2600 Вт", "керамическая подошва"), 17028923, 92230, 1_800, 19_000, 1.3, 4.5),
    Kind(("Набор отверток", "Дрель-шуруповерт аккумуляторная"), ("Bosch", "Makita", "Зубр", "Интерскол", "DEKO"),
         ("12 В", "18 В, 2 АКБ", "24 предмета"), 17028810, 97004, 600, 24_000, 0.7, 3.5),
    Kind(("Постельное белье", "Комплект постельного белья"), ("Ивановский текстиль", "Togas", "Cleo", "Sova & Javoronok"),
         ("1.5-спальный", "2-спальный", "евро", "семейный"), 17027733, 93880, 1_300, 14_000, 1.0, 2.4),
    Kind(("Умные часы",), ("Huawei Watch GT 4", "Amazfit Balance", "Samsung Galaxy Watch6", "Garmin Venu 3", "Xiaomi Watch S3"),
         ("46 мм", "42 мм", "с NFC"), 17028772, 91990, 2_200, 48_000, 0.1, 0.4),
    Kind(("Крем для лица", "Сыворотка для лица"), ("La Roche-Posay", "Librederm", "Vichy", "Черный жемчуг", "Holika Holika"),
         ("50 мл", "30 мл", "увлажняющий"), 17027906, 94030, 220, 4_500, 0.1, 0.3, coloured=False),
    Kind(("Мультиварка",), ("Redmond", "Polaris", "Moulinex", "Tefal"),
         ("5 л", "4 л, 860 Вт", "с керамической чашей"), 17028927, 92290, 2_900, 17_000, 3.2, 6.0),
    Kind(("Книга",), ("Эксмо", "АСТ", "Азбука", "МИФ", "Питер"),
         ("твердый переплет", "мягкая обложка", "подарочное издание"), 17027800, 98001, 250, 2_400, 0.3, 1.2, coloured=False),
)

# fmt: on

COLOURS: tuple[str, ...] = (
    "черный",
    "белый",
    "серый",
    "синий",
    "красный",
    "бежевый",
    "зеленый",
    "розовый",
    "графит",
    "серебристый",
)
