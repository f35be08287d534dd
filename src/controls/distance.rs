//! Locating the responsible CFA and the training place for the 20 km rule.
//! Every distinct address is resolved once before the parallel pass, so the controls
//! look up a prepared table instead of folding town names 200,000 times.

use crate::communes::{Communes, distance_km};
use crate::model::{Address, Coordinates, Offer};
use rustc_hash::FxHashMap;

/// The distance threshold of the DRAIO rule: more than this needs the place's own UAI.
pub const MAX_KM: f64 = 20.0;

type Key<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

fn key(a: &Address) -> Key<'_> {
    (a.insee.as_deref(), a.postcode.as_deref(), a.town.as_deref())
}

/// Coordinates of the towns of a set of offers, resolved once.
#[derive(Debug, Default)]
pub struct Locator<'a> {
    towns: FxHashMap<Key<'a>, Option<Coordinates>>,
}

impl<'a> Locator<'a> {
    /// Resolves the responsible and place towns of every offer through the communes table.
    pub fn new(communes: &Communes, offers: &'a [Offer]) -> Locator<'a> {
        let mut towns: FxHashMap<Key<'a>, Option<Coordinates>> = FxHashMap::default();
        for o in offers {
            for a in [&o.responsible.address, &o.place.address] {
                towns
                    .entry(key(a))
                    .or_insert_with(|| communes.coordinates(a));
            }
        }
        Locator { towns }
    }

    fn town(&self, a: &Address) -> Option<Coordinates> {
        self.towns.get(&key(a)).copied().flatten()
    }

    /// Distance between the responsible CFA's town and the training place (its
    /// coordinates when given, else its town); `None` when either is unknown.
    pub fn distance(&self, offer: &Offer) -> Option<f64> {
        let cfa = self.town(&offer.responsible.address)?;
        let place = offer
            .place
            .coordinates
            .or_else(|| self.town(&offer.place.address))?;
        Some(distance_km(cfa, place))
    }
}

/// `42,3 km` in French notation (two decimals near the threshold, so 20.04 km does not
/// read "20,0 km" in a message saying it is more than 20 km).
pub fn km(distance: f64) -> String {
    if (distance - MAX_KM).abs() < 0.1 {
        format!("{distance:.2} km").replace('.', ",")
    } else {
        format!("{distance:.1} km").replace('.', ",")
    }
}
