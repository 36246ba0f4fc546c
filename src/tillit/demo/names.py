"""Norwegian-looking synthetic names and street names for the demo city.

Every person in the demo is invented; no name is taken from a register.
"""

FEMALE_GIVEN = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
    "Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth",
    "Kristin", "Bente", "Heidi", "Silje", "Tone", "Hanne", "Gunn", "Åse", "Synnøve", "Sølvi",
    "Ragnhild", "Torill", "Aud", "Grethe", "Signe", "Mette", "Wenche", "Ellinor", "Dagny",
    "Målfrid", "Kjellaug", "Gørild", "Tuva", "Nora", "Sara", "Emma", "Amina", "Fatima",
    "Zahra", "Agnieszka", "Leyla", "Hoa", "Maja", "Frøydis", "Æsa",
)
MALE_GIVEN = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas",
    "Hans", "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "John",
    "Øyvind", "Håkon", "Ståle", "Gøran", "Åge", "Jørgen", "Nils", "Rune", "Trond", "Leif",
    "Einar", "Asbjørn", "Halvard", "Sigurd", "Bård", "Pål", "Jens", "Ali", "Mohammed",
    "Omar", "Tomasz", "Ahmed", "Minh", "Sindre", "Eskil", "Åsmund", "Kåre", "Tønnes",
)
FAMILY = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
    "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim",
    "Berge", "Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge",
    "Christensen", "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre",
    "Hanssen", "Ahmed", "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen",
    "Berntsen", "Sandvik", "Rønning", "Arnesen", "Antonsen", "Næss", "Vik", "Haug",
    "Ellingsen", "Thorsen", "Edvardsen", "Birkeland", "Isaksen", "Gulbrandsen", "Ødegård",
    "Bråthen", "Løken", "Åsheim", "Kjærnes", "Sæbø", "Grønli", "Østby", "Bjørnstad",
    "Hårstad", "Fjærli", "Mørk", "Søvik", "Kowalski", "Hussain", "Khan", "Tran",
)
STREETS = (
    "Trondheimsveien", "Grensen", "Thereses gate", "Ullevålsveien", "Kirkeveien",
    "Sørkedalsveien", "Bygdøy allé", "Hegdehaugsveien", "Maridalsveien", "Sandakerveien",
    "Tåsenveien", "Kjelsåsveien", "Grorudveien", "Stovnerveien", "Tvetenveien",
    "Østensjøveien", "Ekebergveien", "Nordstrandveien", "Mortensrudveien", "Holmliaveien",
    "Bølerveien", "Lambertseterveien", "Furusetveien", "Trosterudveien", "Røaveien",
    "Hovseterveien", "Vækerøveien", "Skøyenveien", "Frognerveien", "Gyldenløves gate",
    "Tøyengata", "Kolstadgata", "Åkebergveien", "Smalvollveien", "Haugerudveien",
    "Bjerkealléen", "Årvollveien", "Linderngata", "Sognsveien", "Nydalsveien",
    "Bekkelagsveien", "Ljabruveien", "Hauketoveien", "Bøler skole vei", "Grünerhagen",
    "Schweigaards gate", "Bispegata", "Ryensvingen", "Brynsengfaret", "Økernveien",
)
LANGUAGES = (
    ("", 80), ("polsk", 4), ("urdu", 3), ("somali", 2), ("arabisk", 2), ("vietnamesisk", 2),
    ("tyrkisk", 2), ("svensk", 2), ("engelsk", 2), ("tamil", 1),
)
PETS = (("", 75), ("katt", 12), ("hund", 8), ("hund, holdes i eget rom ved besøk", 3), ("fugl", 2))
RELATIONS = ("datter", "sønn", "ektefelle", "samboer", "nabo", "bror", "søster", "barnebarn")
