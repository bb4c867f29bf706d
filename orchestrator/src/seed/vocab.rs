//! The English vocabulary the catalogue is composed from: a department → category → leaf taxonomy
//! with the product nouns sold in each, and the attributes, materials, colours and features that
//! names and descriptions are built of. Written for bakeoff; see datasets/README.md.

/// A department: its code (SKU prefix), name, median price in dollars, and its categories.
pub struct Department {
    pub code: &'static str,
    pub name: &'static str,
    pub median_price_usd: f64,
    pub categories: &'static [Category],
}

/// A category: its name, and its leaves as `(leaf name, product noun)`.
pub struct Category {
    pub name: &'static str,
    pub leaves: &'static [(&'static str, &'static str)],
}

macro_rules! cat {
    ($name:expr, [$(($leaf:expr, $noun:expr)),* $(,)?]) => {
        Category { name: $name, leaves: &[$(($leaf, $noun)),*] }
    };
}

pub const DEPARTMENTS: &[Department] = &[
    Department {
        code: "ELC",
        name: "Electronics",
        median_price_usd: 89.0,
        categories: &[
            cat!(
                "Headphones",
                [
                    ("Over-Ear Headphones", "headphones"),
                    ("In-Ear Earbuds", "earbuds"),
                    ("Sports Earphones", "earphones"),
                    ("Studio Monitors", "monitor headphones"),
                    ("Kids Headphones", "headphones")
                ]
            ),
            cat!(
                "Speakers",
                [
                    ("Bluetooth Speakers", "speaker"),
                    ("Soundbars", "soundbar"),
                    ("Bookshelf Speakers", "bookshelf speakers"),
                    ("Smart Speakers", "smart speaker"),
                    ("Party Speakers", "party speaker")
                ]
            ),
            cat!(
                "Cameras",
                [
                    ("Mirrorless Cameras", "mirrorless camera"),
                    ("Action Cameras", "action camera"),
                    ("Camera Lenses", "lens"),
                    ("Tripods", "tripod"),
                    ("Camera Bags", "camera bag")
                ]
            ),
            cat!(
                "Computer Accessories",
                [
                    ("Keyboards", "keyboard"),
                    ("Mice", "mouse"),
                    ("Webcams", "webcam"),
                    ("USB Hubs", "USB hub"),
                    ("Laptop Stands", "laptop stand"),
                    ("Monitors", "monitor")
                ]
            ),
            cat!(
                "Phone Accessories",
                [
                    ("Phone Cases", "phone case"),
                    ("Chargers", "charger"),
                    ("Power Banks", "power bank"),
                    ("Screen Protectors", "screen protector"),
                    ("Charging Cables", "charging cable")
                ]
            ),
            cat!("Wearables", [("Smartwatches", "smartwatch"), ("Fitness Trackers", "fitness tracker"), ("Watch Bands", "watch band")]),
        ],
    },
    Department {
        code: "HOM",
        name: "Home & Kitchen",
        median_price_usd: 39.0,
        categories: &[
            cat!(
                "Cookware",
                [("Frying Pans", "frying pan"), ("Saucepans", "saucepan"), ("Dutch Ovens", "dutch oven"), ("Stock Pots", "stock pot"), ("Woks", "wok")]
            ),
            cat!(
                "Kitchen Appliances",
                [
                    ("Blenders", "blender"),
                    ("Coffee Makers", "coffee maker"),
                    ("Toasters", "toaster"),
                    ("Electric Kettles", "electric kettle"),
                    ("Air Fryers", "air fryer"),
                    ("Stand Mixers", "stand mixer")
                ]
            ),
            cat!("Tableware", [("Dinner Plates", "dinner plate set"), ("Mugs", "mug"), ("Glassware", "drinking glass set"), ("Cutlery", "cutlery set")]),
            cat!(
                "Storage",
                [
                    ("Food Containers", "food container set"),
                    ("Pantry Jars", "storage jar"),
                    ("Drawer Organizers", "drawer organizer"),
                    ("Laundry Baskets", "laundry basket")
                ]
            ),
            cat!(
                "Bedding",
                [
                    ("Duvet Covers", "duvet cover"),
                    ("Pillows", "pillow"),
                    ("Sheets", "sheet set"),
                    ("Blankets", "blanket"),
                    ("Mattress Toppers", "mattress topper")
                ]
            ),
            cat!(
                "Bath",
                [("Bath Towels", "bath towel"), ("Shower Curtains", "shower curtain"), ("Bath Mats", "bath mat"), ("Soap Dispensers", "soap dispenser")]
            ),
        ],
    },
    Department {
        code: "FUR",
        name: "Furniture",
        median_price_usd: 179.0,
        categories: &[
            cat!(
                "Living Room",
                [("Sofas", "sofa"), ("Armchairs", "armchair"), ("Coffee Tables", "coffee table"), ("TV Stands", "TV stand"), ("Bookcases", "bookcase")]
            ),
            cat!("Bedroom", [("Bed Frames", "bed frame"), ("Nightstands", "nightstand"), ("Dressers", "dresser"), ("Wardrobes", "wardrobe")]),
            cat!("Office", [("Desks", "desk"), ("Office Chairs", "office chair"), ("Standing Desks", "standing desk"), ("Filing Cabinets", "filing cabinet")]),
            cat!("Dining", [("Dining Tables", "dining table"), ("Dining Chairs", "dining chair"), ("Bar Stools", "bar stool"), ("Sideboards", "sideboard")]),
            cat!(
                "Outdoor Furniture",
                [("Patio Sets", "patio set"), ("Garden Benches", "garden bench"), ("Hammocks", "hammock"), ("Sun Loungers", "sun lounger")]
            ),
        ],
    },
    Department {
        code: "CLO",
        name: "Clothing",
        median_price_usd: 34.0,
        categories: &[
            cat!(
                "Men's Clothing",
                [
                    ("Men's T-Shirts", "t-shirt"),
                    ("Men's Jeans", "jeans"),
                    ("Men's Jackets", "jacket"),
                    ("Men's Sweaters", "sweater"),
                    ("Men's Shirts", "shirt")
                ]
            ),
            cat!(
                "Women's Clothing",
                [("Women's Dresses", "dress"), ("Women's Tops", "top"), ("Women's Jeans", "jeans"), ("Women's Coats", "coat"), ("Women's Skirts", "skirt")]
            ),
            cat!(
                "Kids' Clothing",
                [("Kids' T-Shirts", "t-shirt"), ("Kids' Pajamas", "pajama set"), ("Kids' Jackets", "jacket"), ("Baby Bodysuits", "bodysuit")]
            ),
            cat!(
                "Activewear",
                [("Running Shorts", "running shorts"), ("Leggings", "leggings"), ("Sports Bras", "sports bra"), ("Track Jackets", "track jacket")]
            ),
            cat!("Accessories", [("Hats", "hat"), ("Scarves", "scarf"), ("Gloves", "gloves"), ("Belts", "belt"), ("Socks", "socks")]),
        ],
    },
    Department {
        code: "SHO",
        name: "Shoes",
        median_price_usd: 69.0,
        categories: &[
            cat!("Running Shoes", [("Road Running Shoes", "running shoes"), ("Trail Running Shoes", "trail shoes"), ("Racing Flats", "racing flats")]),
            cat!("Boots", [("Hiking Boots", "hiking boots"), ("Chelsea Boots", "chelsea boots"), ("Rain Boots", "rain boots"), ("Work Boots", "work boots")]),
            cat!("Casual Shoes", [("Sneakers", "sneakers"), ("Loafers", "loafers"), ("Sandals", "sandals"), ("Slippers", "slippers")]),
            cat!("Kids' Shoes", [("Kids' Sneakers", "sneakers"), ("School Shoes", "school shoes"), ("Kids' Sandals", "sandals")]),
        ],
    },
    Department {
        code: "SPO",
        name: "Sports & Outdoors",
        median_price_usd: 49.0,
        categories: &[
            cat!(
                "Camping",
                [
                    ("Tents", "tent"),
                    ("Sleeping Bags", "sleeping bag"),
                    ("Camping Stoves", "camping stove"),
                    ("Headlamps", "headlamp"),
                    ("Camping Chairs", "camping chair")
                ]
            ),
            cat!(
                "Cycling",
                [
                    ("Bike Helmets", "bike helmet"),
                    ("Bike Lights", "bike light"),
                    ("Bike Locks", "bike lock"),
                    ("Cycling Gloves", "cycling gloves"),
                    ("Bike Pumps", "bike pump")
                ]
            ),
            cat!(
                "Fitness",
                [
                    ("Yoga Mats", "yoga mat"),
                    ("Dumbbells", "dumbbell set"),
                    ("Resistance Bands", "resistance band set"),
                    ("Kettlebells", "kettlebell"),
                    ("Jump Ropes", "jump rope")
                ]
            ),
            cat!(
                "Water Sports",
                [("Swim Goggles", "swim goggles"), ("Wetsuits", "wetsuit"), ("Paddle Boards", "paddle board"), ("Life Jackets", "life jacket")]
            ),
            cat!(
                "Team Sports",
                [("Soccer Balls", "soccer ball"), ("Basketballs", "basketball"), ("Tennis Rackets", "tennis racket"), ("Shin Guards", "shin guards")]
            ),
        ],
    },
    Department {
        code: "BTY",
        name: "Beauty & Personal Care",
        median_price_usd: 18.0,
        categories: &[
            cat!("Skin Care", [("Moisturizers", "moisturizer"), ("Cleansers", "facial cleanser"), ("Serums", "serum"), ("Sunscreen", "sunscreen")]),
            cat!(
                "Hair Care",
                [("Shampoo", "shampoo"), ("Conditioner", "conditioner"), ("Hair Dryers", "hair dryer"), ("Hair Straighteners", "hair straightener")]
            ),
            cat!("Shaving", [("Razors", "razor"), ("Electric Shavers", "electric shaver"), ("Beard Trimmers", "beard trimmer")]),
            cat!("Fragrance", [("Eau de Parfum", "eau de parfum"), ("Body Sprays", "body spray"), ("Scented Candles", "scented candle")]),
        ],
    },
    Department {
        code: "TOY",
        name: "Toys & Games",
        median_price_usd: 24.0,
        categories: &[
            cat!("Building Toys", [("Building Bricks", "building set"), ("Magnetic Tiles", "magnetic tile set"), ("Marble Runs", "marble run")]),
            cat!(
                "Board Games",
                [("Strategy Games", "strategy game"), ("Family Games", "family game"), ("Card Games", "card game"), ("Puzzles", "jigsaw puzzle")]
            ),
            cat!("Outdoor Play", [("Scooters", "scooter"), ("Water Guns", "water blaster"), ("Kites", "kite"), ("Trampolines", "trampoline")]),
            cat!("Dolls & Figures", [("Action Figures", "action figure"), ("Dolls", "doll"), ("Plush Toys", "plush toy")]),
            cat!("Learning Toys", [("Science Kits", "science kit"), ("Coding Robots", "coding robot"), ("Musical Toys", "toy keyboard")]),
        ],
    },
    Department {
        code: "BKS",
        name: "Books & Stationery",
        median_price_usd: 14.0,
        categories: &[
            cat!("Notebooks", [("Hardcover Notebooks", "notebook"), ("Planners", "planner"), ("Sketchbooks", "sketchbook")]),
            cat!("Writing", [("Fountain Pens", "fountain pen"), ("Gel Pens", "gel pen set"), ("Pencils", "pencil set"), ("Markers", "marker set")]),
            cat!("Office Supplies", [("Desk Organizers", "desk organizer"), ("Staplers", "stapler"), ("Label Makers", "label maker")]),
            cat!("Art Supplies", [("Watercolors", "watercolor set"), ("Acrylic Paints", "acrylic paint set"), ("Easels", "easel"), ("Brushes", "brush set")]),
        ],
    },
    Department {
        code: "GRD",
        name: "Garden & Tools",
        median_price_usd: 44.0,
        categories: &[
            cat!(
                "Power Tools",
                [("Cordless Drills", "cordless drill"), ("Circular Saws", "circular saw"), ("Sanders", "sander"), ("Impact Drivers", "impact driver")]
            ),
            cat!(
                "Hand Tools",
                [
                    ("Screwdriver Sets", "screwdriver set"),
                    ("Hammers", "hammer"),
                    ("Wrenches", "wrench set"),
                    ("Tape Measures", "tape measure"),
                    ("Pliers", "pliers")
                ]
            ),
            cat!(
                "Gardening",
                [
                    ("Garden Hoses", "garden hose"),
                    ("Pruning Shears", "pruning shears"),
                    ("Planters", "planter"),
                    ("Watering Cans", "watering can"),
                    ("Seed Kits", "seed starter kit")
                ]
            ),
            cat!("Lawn Care", [("Lawn Mowers", "lawn mower"), ("Leaf Blowers", "leaf blower"), ("Hedge Trimmers", "hedge trimmer")]),
            cat!("Lighting", [("LED Bulbs", "LED bulb pack"), ("Floor Lamps", "floor lamp"), ("Desk Lamps", "desk lamp"), ("String Lights", "string lights")]),
        ],
    },
    Department {
        code: "PET",
        name: "Pet Supplies",
        median_price_usd: 22.0,
        categories: &[
            cat!("Dogs", [("Dog Beds", "dog bed"), ("Dog Leashes", "dog leash"), ("Dog Toys", "dog toy"), ("Dog Bowls", "dog bowl")]),
            cat!("Cats", [("Cat Trees", "cat tree"), ("Litter Boxes", "litter box"), ("Cat Toys", "cat toy"), ("Scratching Posts", "scratching post")]),
            cat!("Aquarium", [("Fish Tanks", "aquarium"), ("Aquarium Filters", "aquarium filter"), ("Aquarium Lights", "aquarium light")]),
        ],
    },
    Department {
        code: "AUT",
        name: "Automotive",
        median_price_usd: 36.0,
        categories: &[
            cat!("Car Electronics", [("Dash Cams", "dash cam"), ("Car Chargers", "car charger"), ("Phone Mounts", "phone mount")]),
            cat!("Car Care", [("Car Wax", "car wax"), ("Microfiber Cloths", "microfiber cloth pack"), ("Pressure Washers", "pressure washer")]),
            cat!("Interior", [("Seat Covers", "seat cover set"), ("Floor Mats", "floor mat set"), ("Trunk Organizers", "trunk organizer")]),
            cat!("Tools & Equipment", [("Jump Starters", "jump starter"), ("Tire Inflators", "tire inflator"), ("Jacks", "floor jack")]),
        ],
    },
];

/// Words placed before the noun in a product name.
pub const ATTRIBUTES: &[&str] = &[
    "Classic",
    "Pro",
    "Ultra",
    "Compact",
    "Premium",
    "Essential",
    "Deluxe",
    "Lightweight",
    "Heavy-Duty",
    "Portable",
    "Wireless",
    "Ergonomic",
    "Foldable",
    "Adjustable",
    "Slim",
    "Rugged",
    "Smart",
    "Eco",
    "Vintage",
    "Modern",
    "Minimalist",
    "Insulated",
    "Waterproof",
    "Quick-Dry",
    "Noise-Cancelling",
    "Rechargeable",
    "Stackable",
    "Non-Stick",
    "Breathable",
    "Reinforced",
    "Travel",
    "Everyday",
    "Studio",
    "Outdoor",
    "Indoor",
    "Cordless",
    "Magnetic",
    "Reversible",
    "Soft-Touch",
    "Anti-Slip",
];

pub const MATERIALS: &[&str] = &[
    "cotton",
    "linen",
    "wool",
    "merino wool",
    "bamboo",
    "oak",
    "walnut",
    "pine",
    "stainless steel",
    "aluminium",
    "cast iron",
    "carbon fibre",
    "ceramic",
    "porcelain",
    "glass",
    "silicone",
    "leather",
    "vegan leather",
    "recycled polyester",
    "nylon",
    "canvas",
    "rubber",
    "ABS plastic",
    "titanium",
    "brass",
    "copper",
    "marble",
    "rattan",
    "velvet",
    "denim",
    "fleece",
    "cork",
];

pub const COLOURS: &[&str] = &[
    "Black",
    "White",
    "Grey",
    "Charcoal",
    "Navy",
    "Blue",
    "Sky Blue",
    "Teal",
    "Green",
    "Olive",
    "Forest Green",
    "Red",
    "Burgundy",
    "Orange",
    "Yellow",
    "Mustard",
    "Beige",
    "Sand",
    "Brown",
    "Walnut",
    "Pink",
    "Blush",
    "Purple",
    "Lavender",
    "Silver",
    "Gold",
    "Copper",
    "Ivory",
    "Cream",
    "Natural",
];

/// Short selling points used in descriptions.
pub const FEATURES: &[&str] = &[
    "a long-lasting battery",
    "a two-year warranty",
    "dishwasher-safe parts",
    "a scratch-resistant finish",
    "tool-free assembly",
    "a machine-washable cover",
    "reinforced stitching",
    "a non-slip base",
    "fast charging over USB-C",
    "an ergonomic grip",
    "a water-resistant shell",
    "a compact fold",
    "a whisper-quiet motor",
    "an easy-clean surface",
    "adjustable height",
    "a lifetime guarantee",
    "energy-saving operation",
    "a soft-close mechanism",
    "a built-in carry handle",
    "a breathable lining",
    "precision-machined joints",
    "a low-profile design",
    "a detachable strap",
    "a magnetic closure",
    "a heat-resistant handle",
    "a shatterproof body",
    "hypoallergenic fill",
    "a recyclable package",
    "a touch-sensitive control panel",
    "a bright LED indicator",
    "an anti-glare coating",
    "a quick-release buckle",
];

/// Who or what a product is for, used in descriptions.
pub const USES: &[&str] = &[
    "everyday use",
    "small apartments",
    "busy families",
    "weekend trips",
    "home offices",
    "beginners",
    "professionals",
    "daily commutes",
    "outdoor adventures",
    "gifting",
    "kids and teens",
    "long workdays",
    "hot summers",
    "cold winters",
    "small kitchens",
    "travel",
    "the gym",
    "the garden",
    "students",
    "cosy evenings",
    "holiday gatherings",
    "camping trips",
    "road trips",
    "rainy days",
];

/// Sentence templates for descriptions; `{noun}`, `{material}`, `{feature}`, `{feature2}`,
/// `{use}` and `{colour}` are filled in.
pub const SENTENCES: &[&str] = &[
    "This {noun} is made from {material} and built for {use}.",
    "It comes with {feature} and {feature2}.",
    "Designed for {use}, it pairs {feature} with a clean {colour} finish.",
    "The {material} construction keeps it sturdy without adding weight.",
    "Reviewers mention {feature} as the reason they chose this {noun}.",
    "A dependable {noun} for {use} that offers {feature}.",
    "Available in {colour}, it matches most styles and spaces.",
    "Every unit is inspected before shipping and includes {feature}.",
    "Compared with earlier models, it adds {feature2} while keeping {feature}.",
    "Care is simple: wipe the {material} clean and store it dry.",
    "Ideal for {use}, this {noun} balances comfort, durability and value.",
    "The package includes the {noun}, a quick-start guide and {feature2}.",
];

/// Syllables brand names are built from.
pub const BRAND_SYLLABLES: &[&str] = &[
    "ak", "al", "an", "ar", "bel", "bor", "bra", "cor", "da", "del", "dor", "el", "en", "fal", "fen", "gar", "hal", "is", "ka", "kel", "kor", "la", "lin",
    "lu", "ma", "mer", "mo", "na", "nor", "nu", "or", "pa", "per", "qu", "ra", "ren", "ri", "sa", "sel", "sol", "ta", "ter", "to", "ul", "va", "ven", "vi",
    "wa", "xo", "ya", "ze", "zor",
];

/// Optional second words of brand names.
pub const BRAND_SUFFIXES: &[&str] =
    &["", "", "", "", "", "", "Home", "Labs", "Works", "Gear", "Co", "Studio", "Outdoor", "Audio", "Living", "Sport", "Kids", "Craft"];
