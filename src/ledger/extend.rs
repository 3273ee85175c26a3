//! Adding units and events together, all or nothing.

use super::Ledger;
use crate::error::Result;
use crate::event::Event;
use crate::unit::Unit;

impl Ledger {
    /// Adds `units`, then records `events`, all or nothing: if any unit or
    /// event is refused, the ledger is left exactly as it was. This is how an
    /// import that creates units for the rows it reads stays atomic.
    ///
    /// # Errors
    ///
    /// As [`add_unit`](Ledger::add_unit) and [`apply_batch`](Ledger::apply_batch).
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::*;
    ///
    /// let mut ledger = Ledger::new();
    /// let unit = Unit::new(UnitId::new("u")?, "U", Country::new("GBR")?, UnitKind::Land);
    /// let bad = Event::new(EventId::new("e")?, UnitId::new("u")?, "2022-01-01".parse()?, EventKind::Withdraw);
    /// assert!(ledger.extend([unit], [bad]).is_err());
    /// assert_eq!(ledger.units().count(), 0, "the unit was taken back");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn extend(
        &mut self,
        units: impl IntoIterator<Item = Unit>,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<()> {
        let (units_before, metrics_before) = (self.units.len(), self.metrics.len());
        let result = units
            .into_iter()
            .try_for_each(|u| self.add_unit(u))
            .and_then(|()| self.apply_batch(events));
        if result.is_err() {
            self.forget_units_from(units_before, metrics_before);
        }
        result
    }

    /// Takes back the units added since there were `units` of them, and the
    /// metrics they brought. They have no events: the batch that would have
    /// given them some was refused whole.
    fn forget_units_from(&mut self, units: usize, metrics: usize) {
        let gone: Vec<_> = self.units.drain(units..).collect();
        for record in &gone {
            debug_assert!(
                record.timelines.baseline.is_empty() && record.timelines.layers.is_empty()
            );
            self.unit_ix.remove(record.unit.id());
            self.unit_by_copy.remove(&record.unit.id().addr());
            if let Some(p) = record.parent.and_then(|p| self.units.get_mut(p as usize)) {
                p.children.retain(|&c| (c as usize) < units);
            }
        }
        for metric in self.metrics.drain(metrics..) {
            self.metric_ix.remove(&metric);
        }
        self.alliance_units.retain(|&u| (u as usize) < units);
    }
}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn a_refused_extension_takes_back_its_units_and_metrics() {
        let mut l = Ledger::new();
        let gbr = Country::new("GBR").unwrap();
        let parent = Unit::new(UnitId::new("p").unwrap(), "P", gbr, UnitKind::Land);
        l.add_unit(parent).unwrap();
        let child = Unit::new(UnitId::new("c").unwrap(), "C", gbr, UnitKind::Land)
            .with_parent(UnitId::new("p").unwrap())
            .with_metrics([Metric::new("batteries").unwrap()]);
        let bad = Event::new(
            EventId::new("e").unwrap(),
            UnitId::new("c").unwrap(),
            "2022-01-01".parse().unwrap(),
            EventKind::Withdraw,
        );
        assert!(l.extend([child.clone()], [bad]).is_err());
        assert_eq!(l.units().count(), 1);
        assert!(l.unit(&UnitId::new("c").unwrap()).is_none());
        // The metric is gone: totals of it are unknown again.
        let batteries = Metric::new("batteries").unwrap();
        assert!(l
            .total(&Scope::all(), &batteries, "2022-01-01".parse().unwrap())
            .is_err());
        // And the same unit can be added afterwards.
        l.extend([child], []).unwrap();
        assert_eq!(
            l.total(
                &Scope::all().unit(UnitId::new("p").unwrap()),
                &batteries,
                "2022-01-01".parse().unwrap()
            )
            .unwrap()
            .get(),
            None
        );
    }
}
